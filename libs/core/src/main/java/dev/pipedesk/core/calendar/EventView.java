package dev.pipedesk.core.calendar;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** A meeting as the API shows it (snake_case). Clients see it redacted. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventView(
        String id,
        String googleEventId,
        String calendarId,
        String summary,
        String description,
        Instant startTime,
        Instant endTime,
        String meetLink,
        String conferenceStatus,
        String htmlLink,
        String status,
        String organizerEmail,
        List<AttendeeView> attendees,
        String entityType,
        String entityId,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AttendeeView(String email, String responseStatus, String displayName, boolean organizer, boolean optional) {
        static AttendeeView of(Attendee a) {
            return new AttendeeView(a.email(), a.responseStatus(), a.displayName(), a.organizer(), a.optional());
        }
    }

    /**
     * The view of an event; {@code redacted} (the external client role) hides the description,
     * the Meet link and the attendee list.
     */
    public static EventView of(CalendarEvent e, boolean redacted) {
        return new EventView(
                e.id(),
                e.googleEventId(),
                e.calendarId(),
                e.summary(),
                redacted ? null : e.description(),
                e.startTime(),
                e.endTime(),
                redacted ? null : e.meetLink(),
                e.conferenceStatus().wire(),
                e.htmlLink(),
                e.status().wire(),
                e.organizerEmail(),
                redacted ? List.of() : e.attendees().stream().map(AttendeeView::of).toList(),
                e.entityType() == null ? null : e.entityType().wire(),
                e.entityId(),
                e.createdBy(),
                e.createdAt(),
                e.updatedAt());
    }
}
