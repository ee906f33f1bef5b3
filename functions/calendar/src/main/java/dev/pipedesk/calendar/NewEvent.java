package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EntityType;
import java.time.Instant;
import java.util.List;

/**
 * A validated create request.
 *
 * @param calendarId the calendar the request names, or null for the default calendar
 */
public record NewEvent(
        String summary,
        String description,
        Instant startTime,
        Instant endTime,
        List<String> attendees,
        boolean createMeetLink,
        EntityType entityType,
        String entityId,
        String calendarId) {

    /** The same request on this calendar. */
    NewEvent onCalendar(String calendar) {
        return new NewEvent(summary, description, startTime, endTime, attendees, createMeetLink, entityType, entityId,
                calendar);
    }
}
