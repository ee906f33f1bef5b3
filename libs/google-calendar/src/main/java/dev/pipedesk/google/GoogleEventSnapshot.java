package dev.pipedesk.google;

import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A Google event reduced to what PipeDesk mirrors. */
public record GoogleEventSnapshot(
        String id,
        String etag,
        EventStatus status,
        String summary,
        String description,
        Instant start,
        Instant end,
        String meetLink,
        ConferenceStatus conferenceStatus,
        String htmlLink,
        String organizerEmail,
        List<Attendee> attendees,
        Map<String, String> privateProperties,
        Instant updated) {
}
