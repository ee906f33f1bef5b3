package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.http.EntityTag;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The API's entity tag of a meeting: the version of its mirror row. Every write of the row sets
 * a new {@code updated_at} (the version the store's conditional writes compare), so the tag is
 * that instant, in microseconds (PostgreSQL's precision) as hex. It is not Google's etag: a
 * change in Google that the mirror has not taken in yet does not change it.
 */
final class EventVersion {
    private EventVersion() {
    }

    static EntityTag of(CalendarEvent event) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, event.updatedAt());
        return EntityTag.strong(Long.toHexString(micros));
    }
}
