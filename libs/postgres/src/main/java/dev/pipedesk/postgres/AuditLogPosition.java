package dev.pipedesk.postgres;

import java.time.Instant;
import java.util.Objects;

/**
 * A place in the audit log's order (newest first: {@code occurred_at} descending, then {@code id}
 * descending): the last row a client has seen. Keyset paging continues strictly after it, so rows
 * inserted meanwhile never shift or repeat a later page.
 */
public record AuditLogPosition(Instant occurredAt, long id) {
    public AuditLogPosition {
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static AuditLogPosition of(AuditLogEntry entry) {
        return new AuditLogPosition(entry.occurredAt(), entry.id());
    }
}
