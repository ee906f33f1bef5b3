package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EventView;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditChanges;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The audit events the calendar function produces about meetings. */
final class CalendarAudit {
    static final String ENTITY_TYPE = "calendar_event";
    static final String SOURCE = "calendar";
    /**
     * Who changes a meeting in Google Calendar, as PipeDesk sees it: a change made there (by a
     * Google user, not through PipeDesk) is the sync's, whichever request happened to find it.
     * Also the {@code created_by} of meetings created in Google.
     */
    static final AuditEvent.Actor GOOGLE_SYNC = AuditEvent.Actor.system("google-sync");
    /** Bookkeeping that changes on every write; not a change anyone made. */
    private static final Set<String> NOT_CHANGES = Set.of("updated_at");

    private CalendarAudit() {
    }

    static AuditEvent created(CalendarEvent after, String actorId, RequestOrigin origin, Instant at) {
        return event("create", null, after, null, AuditEvent.Actor.user(actorId), origin, at);
    }

    /** An update or cancel a user asked for: before and after, and the fields that differ. */
    static AuditEvent changed(String action, CalendarEvent before, CalendarEvent after, String actorId,
                              RequestOrigin origin, Instant at) {
        return changed(action, before, after, AuditEvent.Actor.user(actorId), origin, at);
    }

    /**
     * A {@code sync_conflict}: the mirror took in a change made in Google Calendar, found by the
     * request {@code origin} describes (its id, ip and user agent are kept, to correlate), made
     * by {@link #GOOGLE_SYNC}, not by that request's user.
     */
    static AuditEvent conflict(CalendarEvent before, CalendarEvent after, RequestOrigin origin, Instant at) {
        return changed("sync_conflict", before, after, GOOGLE_SYNC, origin, at);
    }

    private static AuditEvent changed(String action, CalendarEvent before, CalendarEvent after, AuditEvent.Actor actor,
                                      RequestOrigin origin, Instant at) {
        Map<String, AuditEvent.Change> changes = AuditChanges.diff(json(before), json(after), NOT_CHANGES);
        return event(action, before, after, changes, actor, origin, at);
    }

    private static AuditEvent event(String action, CalendarEvent before, CalendarEvent after,
                                    Map<String, AuditEvent.Change> changes, AuditEvent.Actor actor,
                                    RequestOrigin origin, Instant at) {
        CalendarEvent subject = after != null ? after : before;
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, Ids.uuid(), ENTITY_TYPE, subject.id(), action,
                actor, at, before == null ? null : json(before),
                after == null ? null : json(after), changes, SOURCE, origin.requestId(), origin.ip(),
                origin.userAgent());
    }

    private static JsonNode json(CalendarEvent event) {
        return Json.MAPPER.valueToTree(EventView.of(event, false));
    }
}
