package dev.pipedesk.http;

import dev.pipedesk.core.ApiException;
import java.util.List;
import java.util.Optional;

/**
 * The value of an {@code If-Match} or {@code If-None-Match} header: {@code *} (any current
 * version) or a list of entity tags.
 */
public sealed interface EntityTagCondition {

    /** {@code *}. */
    record AnyVersion() implements EntityTagCondition {
    }

    /** {@code "a", W/"b"}. */
    record AnyOf(List<EntityTag> tags) implements EntityTagCondition {
        public AnyOf {
            tags = List.copyOf(tags);
        }
    }

    /**
     * The condition in the request's {@code header}; empty when the header is absent or blank.
     *
     * @throws ApiException 400 when the header is neither {@code *} nor a list of entity tags
     */
    static Optional<EntityTagCondition> of(HttpRequest request, String header) {
        return request.header(header).map(String::strip).map(value -> {
            if (value.equals("*")) {
                return new AnyVersion();
            }
            try {
                return new AnyOf(EntityTag.parseList(value));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("The " + header + " header must be \"*\" or a list of entity tags.");
            }
        });
    }

    /** Whether {@code current} is named, comparing strongly (If-Match) or weakly (If-None-Match). */
    default boolean names(EntityTag current, Comparison comparison) {
        return switch (this) {
            case AnyVersion any -> true;
            case AnyOf anyOf -> anyOf.tags().stream().anyMatch(tag -> switch (comparison) {
                case STRONG -> tag.strongMatch(current);
                case WEAK -> tag.weakMatch(current);
            });
        };
    }

    /** RFC 9110 §8.8.3.2: how two entity tags are compared. */
    enum Comparison {
        STRONG, WEAK
    }
}
