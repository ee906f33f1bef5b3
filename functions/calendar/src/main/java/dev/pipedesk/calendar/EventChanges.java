package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EntityType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A validated partial update. An absent field is {@code null} here; a present one is an
 * {@link Optional} whose emptiness means "clear it" (JSON null).
 */
public record EventChanges(
        Optional<String> summary,
        Optional<String> description,
        Optional<Instant> startTime,
        Optional<Instant> endTime,
        Optional<List<String>> attendees,
        Optional<EntityLink> entity) {

    /** The CRM link of an event; both parts or neither. */
    public record EntityLink(EntityType type, String id) {
    }

    public boolean isEmpty() {
        return summary == null && description == null && startTime == null && endTime == null
                && attendees == null && entity == null;
    }
}
