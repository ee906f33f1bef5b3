package dev.pipedesk.postgres;

import java.time.Instant;

/**
 * A listing of {@code audit_logs}. Every filter is optional (null = any) and they combine with
 * AND; {@code occurredFrom} is inclusive and {@code occurredBefore} exclusive. Rows come newest
 * first ({@code occurred_at} descending, ties by {@code id} descending). {@code after} continues
 * strictly after a position (keyset paging); {@code offset} then skips rows from there.
 *
 * @param actorId the actor's id ({@code actor_id}): a user id or {@code system:<job>}
 */
public record AuditLogQuery(
        String entityType,
        String entityId,
        String action,
        String actorId,
        Instant occurredFrom,
        Instant occurredBefore,
        AuditLogPosition after,
        int limit,
        int offset) {

    public AuditLogQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
    }
}
