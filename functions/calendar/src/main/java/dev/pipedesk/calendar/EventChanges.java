package dev.pipedesk.calendar;

import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.calendar.EntityType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A validated partial update: for each field, keep, clear or set. Validation never lets
 * {@code summary}, {@code startTime} or {@code endTime} be cleared; {@code attendees} given as
 * null are set to none; clearing {@code entity} unlinks the meeting from the CRM.
 */
public record EventChanges(
        FieldChange<String> summary,
        FieldChange<String> description,
        FieldChange<Instant> startTime,
        FieldChange<Instant> endTime,
        FieldChange<List<String>> attendees,
        FieldChange<EntityLink> entity) {

    public EventChanges {
        // Every field says what happens to it: none is null.
        Stream.of(summary, description, startTime, endTime, attendees, entity).forEach(Objects::requireNonNull);
    }

    /** The CRM link of an event; both parts or neither. */
    public record EntityLink(EntityType type, String id) {
    }
}
