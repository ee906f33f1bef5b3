package dev.pipedesk.postgres;

import dev.pipedesk.core.JsonText;
import java.time.Instant;

/**
 * One row of {@code audit_logs} as the read side serves it. The client's {@code ip} and
 * {@code user_agent} are stored but not read here.
 *
 * @param actorType {@code user} or {@code system}
 * @param changes   {@code {field: {old, new}}}, or null: as stored, like the snapshots
 * @param before    the entity before the change, or null: its JSON as stored, parsed only when read as a tree
 * @param after     the entity after the change, or null: likewise
 */
public record AuditLogEntry(
        long id,
        String eventId,
        int schemaVersion,
        String entityType,
        String entityId,
        String action,
        String actorType,
        String actorId,
        Instant occurredAt,
        Instant recordedAt,
        JsonText changes,
        JsonText before,
        JsonText after,
        String source,
        String requestId) {
}
