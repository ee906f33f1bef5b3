package dev.pipedesk.http;

import dev.pipedesk.core.ApiException;
import java.util.List;

/**
 * A read's {@code If-None-Match} (RFC 9110 §13.1.2): the client holds these versions already, so
 * when the current one is among them the answer is 304 Not Modified without a body. Compared
 * weakly.
 */
public sealed interface IfNoneMatch {

    /** No {@code If-None-Match} header: always answer in full. */
    record Absent() implements IfNoneMatch {
    }

    /** {@code If-None-Match: *}: any current version. */
    record AnyVersion() implements IfNoneMatch {
    }

    /** {@code If-None-Match: "a", W/"b"}: one of these versions. */
    record AnyOf(List<EntityTag> tags) implements IfNoneMatch {
        public AnyOf {
            tags = List.copyOf(tags);
        }
    }

    /**
     * The request's {@code If-None-Match}.
     *
     * @throws ApiException 400 when the header is neither {@code *} nor a list of entity tags
     */
    static IfNoneMatch of(HttpRequest request) {
        return request.header("if-none-match").map(String::strip).<IfNoneMatch>map(value -> {
            if (value.equals("*")) {
                return new AnyVersion();
            }
            try {
                return new AnyOf(EntityTag.parseList(value));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("The If-None-Match header must be \"*\" or a list of entity tags.");
            }
        }).orElseGet(Absent::new);
    }

    /** Whether the client already holds {@code current}: then the answer is 304. */
    default boolean holds(EntityTag current) {
        return switch (this) {
            case Absent absent -> false;
            case AnyVersion any -> true;
            case AnyOf anyOf -> anyOf.tags().stream().anyMatch(tag -> tag.weakMatch(current));
        };
    }
}
