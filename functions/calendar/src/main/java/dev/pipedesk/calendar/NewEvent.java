package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EntityType;
import java.time.Instant;
import java.util.List;

/** A validated create request. */
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
}
