package dev.pipedesk.timeline;

import dev.pipedesk.core.JsonText;
import dev.pipedesk.postgres.AuditLogEntry;
import java.time.Instant;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One audit-log entry as the API shows it (snake_case; absent values are {@code null}). The
 * client IP and user agent the log also holds are not shown.
 *
 * @param id the row's id, as an opaque string
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuditLogView(
        String id,
        String eventId,
        String entityType,
        String entityId,
        String action,
        Actor actor,
        Instant occurredAt,
        Instant recordedAt,
        JsonText changes,
        JsonText before,
        JsonText after,
        String source,
        String requestId) {

    /** @param type {@code user} or {@code system}; @param id a user id or {@code system:<job>} */
    public record Actor(String type, String id) {
    }

    public static AuditLogView of(AuditLogEntry e) {
        return new AuditLogView(Long.toString(e.id()), e.eventId(), e.entityType(), e.entityId(), e.action(),
                new Actor(e.actorType(), e.actorId()), e.occurredAt(), e.recordedAt(), e.changes(), e.before(),
                e.after(), e.source(), e.requestId());
    }
}
