package dev.pipedesk.timeline;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.postgres.AuditLogEntry;
import java.time.ZoneOffset;

/**
 * Turns each source's row into a {@link TimelineEntryView}: its stable id, timestamp, summary,
 * details and user. Pure: the same row always gives the same entry.
 */
public final class TimelineEntries {

    private TimelineEntries() {
    }

    public static TimelineEntryView ofAudit(AuditLogEntry entry) {
        return new TimelineEntryView("audit:" + entry.id(), "audit", entry.occurredAt().atOffset(ZoneOffset.UTC),
                entry.action(), Json.MAPPER.createObjectNode(), new TimelineEntryView.User(entry.actorId(), null));
    }

    /** A meeting; {@code redacted} as on the calendar routes for a {@code client}. */
    public static TimelineEntryView ofMeeting(CalendarEvent meeting, boolean redacted) {
        return new TimelineEntryView("meeting:" + meeting.id(), "meeting", meeting.startTime().atOffset(ZoneOffset.UTC),
                meeting.summary(), Json.MAPPER.createObjectNode(), null);
    }

    public static TimelineEntryView ofEmail(CrmEmail email) {
        return new TimelineEntryView("email:" + email.id(), "email", email.sentAt().atOffset(ZoneOffset.UTC),
                email.subject(), Json.MAPPER.createObjectNode(), new TimelineEntryView.User(email.loggedBy(), null));
    }
}
