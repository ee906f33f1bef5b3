package dev.pipedesk.core.calendar;

import java.time.Instant;
import java.util.List;

/** A meeting as PipeDesk mirrors it: the Google event plus its CRM link and bookkeeping. */
public record CalendarEvent(
        String id,
        String googleEventId,
        String calendarId,
        String summary,
        String description,
        Instant startTime,
        Instant endTime,
        String meetLink,
        ConferenceStatus conferenceStatus,
        String htmlLink,
        EventStatus status,
        String organizerEmail,
        List<Attendee> attendees,
        EntityType entityType,
        String entityId,
        String createdBy,
        String idempotencyKey,
        String requestHash,
        String googleEtag,
        Instant googleUpdatedAt,
        Instant createdAt,
        Instant updatedAt) {

    public CalendarEvent {
        attendees = attendees == null ? List.of() : List.copyOf(attendees);
    }

    public boolean isCancelled() {
        return status == EventStatus.CANCELLED;
    }
}
