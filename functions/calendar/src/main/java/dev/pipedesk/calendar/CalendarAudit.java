package dev.pipedesk.calendar;

import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.MeetingAudit;
import java.time.Instant;

/** The audit events the calendar function produces about meetings ({@link MeetingAudit}, source {@value #SOURCE}). */
final class CalendarAudit {
    static final String ENTITY_TYPE = MeetingAudit.ENTITY_TYPE;
    static final String SOURCE = "calendar";
    /**
     * Who changes a meeting in Google Calendar, as PipeDesk sees it: a change made there (by a
     * Google user, not through PipeDesk) is the sync's, whichever request happened to find it.
     * Also the {@code created_by} of meetings created in Google.
     */
    static final AuditEvent.Actor GOOGLE_SYNC = AuditEvent.Actor.system(MeetingAudit.GOOGLE_SYNC_ACTOR);

    private CalendarAudit() {
    }

    static AuditEvent created(CalendarEvent after, String actorId, RequestOrigin origin, Instant at) {
        return MeetingAudit.created("create", after, AuditEvent.Actor.user(actorId), SOURCE, origin, at);
    }

    /** An update or cancel a user asked for: before and after, and the fields that differ. */
    static AuditEvent changed(String action, CalendarEvent before, CalendarEvent after, String actorId,
                              RequestOrigin origin, Instant at) {
        return MeetingAudit.changed(action, before, after, AuditEvent.Actor.user(actorId), SOURCE, origin, at);
    }

    /**
     * A {@code sync_conflict}: the mirror took in a change made in Google Calendar, found by the
     * request {@code origin} describes (its id, ip and user agent are kept, to correlate), made
     * by {@link #GOOGLE_SYNC}, not by that request's user.
     */
    static AuditEvent conflict(CalendarEvent before, CalendarEvent after, RequestOrigin origin, Instant at) {
        return MeetingAudit.changed("sync_conflict", before, after, GOOGLE_SYNC, SOURCE, origin, at);
    }
}
