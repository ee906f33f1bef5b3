package dev.pipedesk.postgres;

import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;

/**
 * A listing of mirrored meetings. Time bounds follow Google's semantics: an event matches
 * when it ends after {@code timeMin} and starts before {@code timeMax}. A null status lists
 * everything but cancelled events.
 *
 * @param attendeeEmail when set, only meetings with an attendee of this e-mail address (compared
 *                      case-insensitively): the scope of an external {@code client} caller
 */
public record EventQuery(
        Instant timeMin,
        Instant timeMax,
        EventStatus status,
        EntityType entityType,
        String entityId,
        String calendarId,
        int limit,
        int offset,
        boolean allStatuses,
        String attendeeEmail) {

    /** A listing of every meeting the filters select, whoever attends it. */
    public EventQuery(Instant timeMin, Instant timeMax, EventStatus status, EntityType entityType, String entityId,
                      String calendarId, int limit, int offset, boolean allStatuses) {
        this(timeMin, timeMax, status, entityType, entityId, calendarId, limit, offset, allStatuses, null);
    }

    /** The same listing, narrowed to meetings {@code email} attends. */
    public EventQuery attendedBy(String email) {
        return new EventQuery(timeMin, timeMax, status, entityType, entityId, calendarId, limit, offset, allStatuses,
                email);
    }
}
