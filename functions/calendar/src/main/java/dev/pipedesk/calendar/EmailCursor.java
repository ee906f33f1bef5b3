package dev.pipedesk.calendar;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.http.OpaqueCursor;
import dev.pipedesk.postgres.EmailPosition;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The opaque {@code cursor} of {@code GET /api/emails} ({@link OpaqueCursor}):
 * {@code {"v":1,"at":<sent_at>,"id":<uuid>,"e":<entity>}}, where {@code at}/{@code id} are the
 * last e-mail of the page (the keyset position, newest first) and {@code e} the fingerprint of the
 * entity the page lists. A cursor used for another entity, or altered, is 422 on {@code cursor};
 * it is not a secret (the entity is read again from the query, and a hand-made position only
 * moves within that entity's e-mails).
 */
final class EmailCursor {
    static final int VERSION = 1;
    static final String INVALID = OpaqueCursor.INVALID;
    static final String OTHER_ENTITY = "was issued for another entity; repeat the first request's entity_type and "
            + "entity_id, or start again without a cursor";

    private record Payload(
            @JsonProperty("v") int version,
            @JsonProperty("at") Instant sentAt,
            @JsonProperty("id") String id,
            @JsonProperty("e") String entity) implements OpaqueCursor.Payload {

        @Override
        public boolean valid() {
            return version == VERSION && sentAt != null && !sentAt.isBefore(DateTimeInput.EARLIEST)
                    && !sentAt.isAfter(DateTimeInput.LATEST) && Ids.isUuid(id) && entity != null && !entity.isEmpty();
        }

        @Override
        public String fingerprint() {
            return entity;
        }
    }

    private EmailCursor() {
    }

    /** The cursor of the page that starts after {@code position}, for this entity. */
    static String encode(EmailPosition position, EntityType entityType, String entityId) {
        return OpaqueCursor.encode(new Payload(VERSION, position.sentAt(), position.id(),
                fingerprint(entityType, entityId)));
    }

    /**
     * The position a cursor names, or null with one {@code cursor} detail reported when it is
     * malformed or (given the entity) made for another entity.
     *
     * @param entityType the request's entity type, or null to check the cursor's form only
     */
    static EmailPosition decode(String cursor, EntityType entityType, String entityId, Consumer<FieldError> problems) {
        Payload payload = OpaqueCursor.read(cursor, Payload.class,
                entityType == null ? null : fingerprint(entityType, entityId), OTHER_ENTITY, problems);
        return payload == null ? null : new EmailPosition(payload.sentAt(), payload.id());
    }

    private static String fingerprint(EntityType entityType, String entityId) {
        return OpaqueCursor.fingerprint(entityType.wire(), entityId);
    }
}
