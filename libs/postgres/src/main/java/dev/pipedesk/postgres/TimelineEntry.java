package dev.pipedesk.postgres;

import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.email.CrmEmail;
import java.time.Instant;

/** One row of the unified timeline: an audit entry, an e-mail or a meeting, as its source stores it. */
public sealed interface TimelineEntry {

    TimelineSource source();

    /** The entry's place in the timeline's order. */
    TimelinePosition position();

    record Audit(AuditLogEntry entry) implements TimelineEntry {
        @Override
        public TimelineSource source() {
            return TimelineSource.AUDIT;
        }

        @Override
        public TimelinePosition position() {
            return new TimelinePosition(entry.occurredAt(), TimelineSource.AUDIT, Long.toString(entry.id()));
        }
    }

    record Email(CrmEmail email) implements TimelineEntry {
        @Override
        public TimelineSource source() {
            return TimelineSource.EMAIL;
        }

        @Override
        public TimelinePosition position() {
            return new TimelinePosition(email.sentAt(), TimelineSource.EMAIL, email.id());
        }
    }

    record Meeting(CalendarEvent meeting) implements TimelineEntry {
        @Override
        public TimelineSource source() {
            return TimelineSource.MEETING;
        }

        @Override
        public TimelinePosition position() {
            return new TimelinePosition(meeting.startTime(), TimelineSource.MEETING, meeting.id());
        }
    }

    /** The timestamp the timeline orders by. */
    default Instant timestamp() {
        return position().timestamp();
    }
}
