package dev.pipedesk.core.calendar;

import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditChanges;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Audit events about meetings (entity type {@code calendar_event}), whoever produces them: the
 * calendar function for its users' writes, the sync for changes made in Google. A meeting appears
 * in {@code before}/{@code after} exactly as the API shows it ({@link EventView}, unredacted).
 */
public final class MeetingAudit {
    public static final String ENTITY_TYPE = "calendar_event";
    /** The actor of every change that came from Google through the sync. */
    public static final String GOOGLE_SYNC_ACTOR = "system:google-sync";
    /** Bookkeeping that changes on every write; not a change anyone made. */
    private static final Set<String> NOT_CHANGES = Set.of("updated_at");

    private MeetingAudit() {
    }

    /** A meeting created: {@code after} only. */
    public static AuditEvent created(String action, CalendarEvent after, AuditEvent.Actor actor, String source,
                                     RequestOrigin origin, Instant at) {
        return event(action, null, after, null, actor, source, origin, at);
    }

    /** A meeting changed (update, cancel, sync_*): before, after and the fields that differ. */
    public static AuditEvent changed(String action, CalendarEvent before, CalendarEvent after, AuditEvent.Actor actor,
                                     String source, RequestOrigin origin, Instant at) {
        return event(action, before, after, changes(before, after), actor, source, origin, at);
    }

    /** The audited fields that differ between two versions of a meeting (bookkeeping excluded); empty when none. */
    public static Map<String, AuditEvent.Change> changes(CalendarEvent before, CalendarEvent after) {
        return AuditChanges.diff(json(before), json(after), NOT_CHANGES);
    }

    private static AuditEvent event(String action, CalendarEvent before, CalendarEvent after,
                                    Map<String, AuditEvent.Change> changes, AuditEvent.Actor actor, String source,
                                    RequestOrigin origin, Instant at) {
        CalendarEvent subject = after != null ? after : before;
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, Ids.uuid(), ENTITY_TYPE, subject.id(), action, actor, at,
                before == null ? null : json(before), after == null ? null : json(after), changes, source,
                origin.requestId(), origin.ip(), origin.userAgent());
    }

    private static JsonNode json(CalendarEvent event) {
        return Json.MAPPER.valueToTree(EventView.of(event, false));
    }
}
