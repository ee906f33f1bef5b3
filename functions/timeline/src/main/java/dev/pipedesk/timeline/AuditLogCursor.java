package dev.pipedesk.timeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * The opaque {@code cursor} of the audit-log API: base64url (no padding) of
 * {@code {"v":1,"at":<occurred_at>,"id":<id>,"f":<filters>}}, where {@code at}/{@code id} are
 * the last row of the page (keyset position in the newest-first order) and {@code f} is a
 * fingerprint of the filters the page was read with (SHA-256 of the normalised filters,
 * truncated to 96 bits, base64url).
 *
 * <p>A cursor is not a secret and not a capability: the filters of the request are applied
 * again, and a hand-made position only moves the page within what the caller may read anyway.
 * The fingerprint catches a cursor used with other filters, which would otherwise silently
 * skip or repeat rows. Paging limits are not part of it, so the page size may change between
 * pages.
 */
final class AuditLogCursor {
    static final int VERSION = 1;
    static final int MAX_LENGTH = 512;
    static final String INVALID = "is not a valid cursor; pass a next_cursor from a previous page unchanged";
    static final String OTHER_FILTERS = "was issued for different filters; repeat the first request's filters, or start again without a cursor";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private record Payload(
            @JsonProperty("v") int version,
            @JsonProperty("at") Instant occurredAt,
            @JsonProperty("id") long id,
            @JsonProperty("f") String filters) {
    }

    private AuditLogCursor() {
    }

    /** The cursor of the page that starts after {@code position}, for these filters. */
    static String encode(AuditLogPosition position, AuditLogQuery filters) {
        Payload payload = new Payload(VERSION, position.occurredAt(), position.id(), fingerprint(filters));
        return ENCODER.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position a cursor names, or null with one {@code cursor} detail reported to
     * {@code problems} when it is malformed or (given {@code filters}) made for other filters.
     *
     * @param filters the request's filters, or null to check the cursor's form only
     */
    static AuditLogPosition decode(String cursor, AuditLogQuery filters, Consumer<FieldError> problems) {
        Payload payload = read(cursor);
        if (payload == null) {
            problems.accept(new FieldError("cursor", INVALID));
            return null;
        }
        if (filters != null && !MessageDigest.isEqual(
                payload.filters().getBytes(StandardCharsets.UTF_8), fingerprint(filters).getBytes(StandardCharsets.UTF_8))) {
            problems.accept(new FieldError("cursor", OTHER_FILTERS));
            return null;
        }
        return new AuditLogPosition(payload.occurredAt(), payload.id());
    }

    private static Payload read(String cursor) {
        if (cursor == null || cursor.length() > MAX_LENGTH) {
            return null;
        }
        try {
            Payload payload = Json.read(new String(DECODER.decode(cursor), StandardCharsets.UTF_8), Payload.class);
            boolean valid = payload.version() == VERSION
                    && payload.occurredAt() != null && !payload.occurredAt().isBefore(DateTimeInput.EARLIEST)
                    && !payload.occurredAt().isAfter(DateTimeInput.LATEST)
                    && payload.id() > 0
                    && payload.filters() != null && !payload.filters().isEmpty();
            return valid ? payload : null;
        } catch (RuntimeException e) {
            // not base64url, not JSON, wrong types: all the same to the client
            return null;
        }
    }

    /** Which rows a query selects, apart from where its page starts and how long it is. */
    static String fingerprint(AuditLogQuery q) {
        String canonical = Json.write(Arrays.asList(
                q.entityType(), q.entityId(), q.action(), q.actorId(),
                q.occurredFrom() == null ? null : q.occurredFrom().toString(),
                q.occurredBefore() == null ? null : q.occurredBefore().toString()));
        return ENCODER.encodeToString(Arrays.copyOf(Hashes.sha256(canonical), 12));
    }
}
