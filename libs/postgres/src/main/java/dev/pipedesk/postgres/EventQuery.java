package dev.pipedesk.postgres;

import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;

/**
 * A listing of mirrored meetings. Time bounds follow Google's semantics: an event matches
 * when it ends after {@code timeMin} and starts before {@code timeMax}. A null status lists
 * everything but cancelled events.
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
        boolean allStatuses) {
}
