package dev.pipedesk.timeline;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.JsonText;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.MeetingAudit;
import dev.pipedesk.postgres.AuditLogEntry;
import dev.pipedesk.postgres.NewAuditLogEntry;
import java.time.Instant;
import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Audit rows shaped exactly as the project's producers write them: an event's JSON (the outbox
 * payload) taken apart as the audit writer does ({@link NewAuditLogEntry#fromEvent}) and read back
 * as the repository does (JSON text parsed). AuditSummaryCaptureTest does the same through the
 * real database.
 */
final class AuditRows {
    static final long ROW_ID = 812;
    static final Instant AT = Instant.parse("2026-05-21T10:15:30.123456Z");
    /** A user's request, as the calendar function records it (ip and user agent included). */
    static final RequestOrigin REQUEST = new RequestOrigin("req-1", "203.0.113.7", "curl/8.5");
    static final RequestOrigin NO_REQUEST = new RequestOrigin(null, null, null);
    static final AuditEvent.Actor USER = AuditEvent.Actor.user("u-1");
    static final AuditEvent.Actor GOOGLE = AuditEvent.Actor.system(MeetingAudit.GOOGLE_SYNC_ACTOR);

    private AuditRows() {
    }

    /** A meeting created by the calendar function ({@code create}) or the sync ({@code sync_create}). */
    static AuditLogEntry meetingCreated(String action, CalendarEvent after) {
        boolean sync = action.startsWith("sync_");
        return stored(MeetingAudit.created(action, after, sync ? GOOGLE : USER, sync ? "google_sync" : "calendar",
                sync ? NO_REQUEST : REQUEST, AT));
    }

    /** A meeting changed: {@code update}/{@code cancel} by a user, {@code sync_*} by system:google-sync. */
    static AuditLogEntry meetingChanged(String action, CalendarEvent before, CalendarEvent after) {
        boolean sync = action.startsWith("sync_");
        AuditEvent.Actor actor = sync ? GOOGLE : USER;
        // sync_conflict: written by the calendar function, with the request that found the change
        String source = action.equals("sync_conflict") ? "calendar" : sync ? "google_sync" : "calendar";
        RequestOrigin origin = action.equals("sync_conflict") || !sync ? REQUEST : NO_REQUEST;
        return stored(MeetingAudit.changed(action, before, Meetings.touched(after, AT), actor, source, origin, AT));
    }

    static AuditLogEntry stored(AuditEvent event) {
        return stored(Json.MAPPER.valueToTree(event));
    }

    /** An event (outbox payload) as a row of audit_logs, read back. */
    static AuditLogEntry stored(JsonNode payload) {
        NewAuditLogEntry row = NewAuditLogEntry.fromEvent(payload);
        return new AuditLogEntry(ROW_ID, row.eventId(), row.schemaVersion(), row.entityType(), row.entityId(),
                row.action(), row.actorType(), row.actorId(), OffsetDateTime.parse(row.occurredAt()).toInstant(),
                AT.plusMillis(400), JsonText.ofStored(row.changes()), JsonText.ofStored(row.before()), JsonText.ofStored(row.after()), row.source(),
                row.requestId());
    }

    /**
     * What the V3 database capture ({@code pipedesk_audit.enqueue}) writes for a lead or deal:
     * before/after the row as {@code to_jsonb}, changes {@code {column: {old, new}}} for updates.
     * Each JSON argument is text (or null), so a test controls its key order.
     */
    static AuditLogEntry captured(String entityType, String entityId, String action, String actorId,
                                  String before, String after, String changes) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("schema_version", 1);
        payload.put("event_id", "5f0c6a57-1d1e-4f3a-8f59-0a4c3e1b2d77");
        payload.put("entity_type", entityType);
        payload.put("entity_id", entityId);
        payload.put("action", action);
        payload.putObject("actor").put("type", actorId.startsWith("system:") ? "system" : "user").put("id", actorId);
        payload.put("occurred_at", "2026-05-21T10:15:30.123Z");
        payload.set("before", parse(before));
        payload.set("after", parse(after));
        payload.set("changes", parse(changes));
        payload.put("source", "database");
        payload.putNull("request_id");
        payload.putNull("ip");
        payload.putNull("user_agent");
        return stored(payload);
    }

    private static JsonNode parse(String json) {
        return json == null ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(json);
    }
}
