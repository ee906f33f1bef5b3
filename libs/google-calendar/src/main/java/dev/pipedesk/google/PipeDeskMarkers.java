package dev.pipedesk.google;

import dev.pipedesk.core.calendar.EntityType;
import java.util.Map;
import java.util.Optional;

/**
 * The private extended properties PipeDesk stamps on the events it creates in Google: the mirror
 * row's id, its creator and its CRM link. The sync reads them to recognise PipeDesk's own events
 * (and to store one it meets before its mirror row exists with the right id, creator and link).
 *
 * @param eventId    {@link #EVENT_ID}: the mirror row's id (a UUID)
 * @param createdBy  {@link #CREATED_BY}: the user who created it
 * @param entityType {@link #ENTITY_TYPE}, or null when the meeting is not linked
 * @param entityId   {@link #ENTITY_ID}, or null when the meeting is not linked
 */
public record PipeDeskMarkers(String eventId, String createdBy, EntityType entityType, String entityId) {
    public static final String EVENT_ID = "pipedesk_event_id";
    public static final String CREATED_BY = "pipedesk_created_by";
    public static final String ENTITY_TYPE = "pipedesk_entity_type";
    public static final String ENTITY_ID = "pipedesk_entity_id";

    /** The markers of an event's private properties; empty when it carries no PipeDesk event id (not PipeDesk's). */
    public static Optional<PipeDeskMarkers> of(Map<String, String> privateProperties) {
        String eventId = privateProperties.get(EVENT_ID);
        if (eventId == null || !eventId.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return Optional.empty();
        }
        String createdBy = privateProperties.get(CREATED_BY);
        Optional<EntityType> type = EntityType.parse(privateProperties.get(ENTITY_TYPE));
        String entityId = privateProperties.get(ENTITY_ID);
        boolean linked = type.isPresent() && entityId != null && !entityId.isBlank();
        return Optional.of(new PipeDeskMarkers(eventId, createdBy == null || createdBy.isBlank() ? null : createdBy,
                linked ? type.get() : null, linked ? entityId : null));
    }
}
