package dev.pipedesk.http;

import java.util.List;
import java.util.Optional;

/**
 * A request's {@code If-Match} precondition (RFC 9110 §13.1.1): change the resource only if its
 * current version is one the client names. Compared strongly, so a weak tag never matches.
 *
 * @param condition the header's condition; empty when the request has none (any version may be changed)
 */
public record IfMatch(Optional<EntityTagCondition> condition) {
    /** No {@code If-Match}: any version may be changed. */
    public static final IfMatch ABSENT = new IfMatch(Optional.empty());

    /**
     * @throws dev.pipedesk.core.ApiException 400 when the header is neither {@code *} nor a list of entity tags
     */
    public static IfMatch of(HttpRequest request) {
        return new IfMatch(EntityTagCondition.of(request, "If-Match"));
    }

    /** {@code If-Match: *}. */
    public static IfMatch anyVersion() {
        return new IfMatch(Optional.of(new EntityTagCondition.AnyVersion()));
    }

    /** {@code If-Match} naming these versions. */
    public static IfMatch anyOf(EntityTag... versions) {
        return new IfMatch(Optional.of(new EntityTagCondition.AnyOf(List.of(versions))));
    }

    /** Whether the resource, now at version {@code current}, may be changed. */
    public boolean allows(EntityTag current) {
        return condition.map(c -> c.names(current, EntityTagCondition.Comparison.STRONG)).orElse(true);
    }
}
