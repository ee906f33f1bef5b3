package dev.pipedesk.http;

import dev.pipedesk.core.ApiException;
import java.util.List;

/**
 * A request's {@code If-Match} precondition (RFC 9110 §13.1.1): change the resource only if its
 * current version is one the client names. Compared strongly, so a weak tag never matches.
 */
public sealed interface IfMatch {

    /** No {@code If-Match} header: any version may be changed. */
    record Absent() implements IfMatch {
    }

    /** {@code If-Match: *}: any current version. */
    record AnyVersion() implements IfMatch {
    }

    /** {@code If-Match: "a", "b"}: one of these versions. */
    record AnyOf(List<EntityTag> tags) implements IfMatch {
        public AnyOf {
            tags = List.copyOf(tags);
        }
    }

    /**
     * The request's {@code If-Match}.
     *
     * @throws ApiException 400 when the header is neither {@code *} nor a list of entity tags
     */
    static IfMatch of(HttpRequest request) {
        return request.header("if-match").map(String::strip).<IfMatch>map(value -> {
            if (value.equals("*")) {
                return new AnyVersion();
            }
            try {
                return new AnyOf(EntityTag.parseList(value));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("The If-Match header must be \"*\" or a list of entity tags.");
            }
        }).orElseGet(Absent::new);
    }

    /** Whether the resource, now at version {@code current}, may be changed. */
    default boolean allows(EntityTag current) {
        return switch (this) {
            case Absent absent -> true;
            case AnyVersion any -> true;
            case AnyOf anyOf -> anyOf.tags().stream().anyMatch(tag -> tag.strongMatch(current));
        };
    }
}
