package dev.pipedesk.http;

import java.util.Optional;

/**
 * A read's {@code If-None-Match} (RFC 9110 §13.1.2): the client holds these versions already, so
 * when the current one is among them the answer is 304 Not Modified without a body. Compared
 * weakly.
 *
 * @param condition the header's condition; empty when the request has none (always answer in full)
 */
public record IfNoneMatch(Optional<EntityTagCondition> condition) {

    /**
     * @throws dev.pipedesk.core.ApiException 400 when the header is neither {@code *} nor a list of entity tags
     */
    public static IfNoneMatch of(HttpRequest request) {
        return new IfNoneMatch(EntityTagCondition.of(request, "If-None-Match"));
    }

    /** Whether the client already holds {@code current}: then the answer is 304. */
    public boolean holds(EntityTag current) {
        return condition.map(c -> c.names(current, EntityTagCondition.Comparison.WEAK)).orElse(false);
    }
}
