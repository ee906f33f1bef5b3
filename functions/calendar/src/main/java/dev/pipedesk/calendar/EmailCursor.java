package dev.pipedesk.calendar;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.postgres.EmailPosition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * The opaque {@code cursor} of {@code GET /api/emails}, made like the audit-log API's: base64url
 * (no padding) of {@code {"v":1,"at":<sent_at>,"id":<uuid>,"e":<entity>}}, where {@code at}/{@code id}
 * are the last e-mail of the page (the keyset position, newest first) and {@code e} a fingerprint
 * of the entity the page lists (SHA-256 of its type and id, 96 bits, base64url). A cursor used for
 * another entity, or altered, is 422 on {@code cursor}; it is not a secret (the entity is read again
 * from the query, and a hand-made position only moves within that entity's e-mails).
 */
final class EmailCursor {
    static final int VERSION = 1;
    static final int MAX_LENGTH = 512;
    static final String INVALID = "is not a valid cursor; pass a next_cursor from a previous page unchanged";
    static final String OTHER_ENTITY = "was issued for another entity; repeat the first request's entity_type and "
            + "entity_id, or start again without a cursor";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private record Payload(
            @JsonProperty("v") int version,
            @JsonProperty("at") Instant sentAt,
            @JsonProperty("id") String id,
            @JsonProperty("e") String entity) {
    }

    private EmailCursor() {
    }

    /** The cursor of the page that starts after {@code position}, for this entity. */
    static String encode(EmailPosition position, EntityType entityType, String entityId) {
        Payload payload = new Payload(VERSION, position.sentAt(), position.id(), fingerprint(entityType, entityId));
        return ENCODER.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position a cursor names, or null with one {@code cursor} detail reported when it is
     * malformed or (given the entity) made for another entity.
     *
     * @param entityType the request's entity type, or null to check the cursor's form only
     */
    static EmailPosition decode(String cursor, EntityType entityType, String entityId, Consumer<FieldError> problems) {
        Payload payload = read(cursor);
        if (payload == null) {
            problems.accept(new FieldError("cursor", INVALID));
            return null;
        }
        if (entityType != null && !MessageDigest.isEqual(payload.entity().getBytes(StandardCharsets.UTF_8),
                fingerprint(entityType, entityId).getBytes(StandardCharsets.UTF_8))) {
            problems.accept(new FieldError("cursor", OTHER_ENTITY));
            return null;
        }
        return new EmailPosition(payload.sentAt(), payload.id());
    }

    private static Payload read(String cursor) {
        if (cursor == null || cursor.length() > MAX_LENGTH) {
            return null;
        }
        try {
            Payload payload = Json.read(new String(DECODER.decode(cursor), StandardCharsets.UTF_8), Payload.class);
            boolean valid = payload.version() == VERSION
                    && payload.sentAt() != null && !payload.sentAt().isBefore(DateTimeInput.EARLIEST)
                    && !payload.sentAt().isAfter(DateTimeInput.LATEST)
                    && Ids.isUuid(payload.id())
                    && payload.entity() != null && !payload.entity().isEmpty();
            return valid ? payload : null;
        } catch (RuntimeException e) {
            // not base64url, not JSON, wrong types: all the same to the client
            return null;
        }
    }

    private static String fingerprint(EntityType entityType, String entityId) {
        String canonical = Json.write(List.of(entityType.wire(), entityId));
        return ENCODER.encodeToString(Arrays.copyOf(Hashes.sha256(canonical), 12));
    }
}
