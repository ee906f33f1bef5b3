package dev.pipedesk.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.postgres.TimelinePosition;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The opaque {@code cursor} of the unified timeline: base64url (no padding) of
 * {@code {"v":1,"at":<timestamp>,"s":<source rank>,"id":<id in the source>,"n":<total>,"f":<filters>}}.
 * {@code at}/{@code s}/{@code id} are the page's last entry (its keyset position: timestamp
 * descending, source rank, id descending); {@code n} is the total counted on the first page, carried
 * along so that later pages need not count again; {@code f} is a fingerprint of the filters (SHA-256
 * of the normalised filters, truncated to 96 bits, base64url), as in {@link AuditLogCursor}.
 *
 * <p>A cursor only names a position: the request's filters (and the caller's scope) are applied
 * again, so a hand-made cursor moves within what the caller may read anyway, and its total is only
 * what the client is shown. The fingerprint catches a cursor used with other filters; the page size
 * is not part of it.
 */
final class TimelineCursor {
    static final int VERSION = 1;
    static final int MAX_LENGTH = 512;
    static final String INVALID = AuditLogCursor.INVALID;
    static final String OTHER_FILTERS = AuditLogCursor.OTHER_FILTERS;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Where a cursor continues, and the total it carries. */
    record Decoded(TimelinePosition position, long total) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    private record Payload(
            @JsonProperty("v") int version,
            @JsonProperty("at") Instant timestamp,
            @JsonProperty("s") int source,
            @JsonProperty("id") String id,
            @JsonProperty("n") long total,
            @JsonProperty("f") String filters) {
    }

    private TimelineCursor() {
    }

    /** The cursor of the page after {@code position}, for the filters of {@code query}. */
    static String encode(TimelinePosition position, long total, TimelineQuery query) {
        Payload payload = new Payload(VERSION, position.timestamp(), position.source().rank(), position.id(), total,
                fingerprint(query));
        return ENCODER.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position and total a cursor carries, or null with one {@code cursor} detail reported to
     * {@code problems} when it is malformed or (given {@code filters}) made for other filters.
     *
     * @param filters the request's query (position, limit and offset aside), or null to check the form only
     */
    static Decoded decode(String cursor, TimelineQuery filters, Consumer<FieldError> problems) {
        Payload payload = read(cursor);
        TimelinePosition position = payload == null ? null : TimelinePosition.of(payload.timestamp(),
                TimelineSource.ofRank(payload.source()).orElse(null), payload.id()).orElse(null);
        if (position == null) {
            problems.accept(new FieldError("cursor", INVALID));
            return null;
        }
        if (filters != null && !MessageDigest.isEqual(payload.filters().getBytes(StandardCharsets.UTF_8),
                fingerprint(filters).getBytes(StandardCharsets.UTF_8))) {
            problems.accept(new FieldError("cursor", OTHER_FILTERS));
            return null;
        }
        return new Decoded(position, payload.total());
    }

    private static Payload read(String cursor) {
        if (cursor == null || cursor.length() > MAX_LENGTH) {
            return null;
        }
        try {
            Payload payload = Json.read(new String(DECODER.decode(cursor), StandardCharsets.UTF_8), Payload.class);
            boolean valid = payload.version() == VERSION
                    && payload.timestamp() != null && !payload.timestamp().isBefore(DateTimeInput.EARLIEST)
                    && !payload.timestamp().isAfter(DateTimeInput.LATEST)
                    && payload.total() >= 0
                    && payload.filters() != null && !payload.filters().isEmpty();
            return valid ? payload : null;
        } catch (RuntimeException e) {
            // not base64url, not JSON, wrong types: all the same to the client
            return null;
        }
    }

    /**
     * Which entries a query selects, apart from where its page starts and how long it is: the
     * entity, the sources (in rank order), both time bounds as instants, and the client's scope.
     */
    static String fingerprint(TimelineQuery q) {
        String canonical = Json.write(Arrays.asList(
                "timeline", q.entityType().wire(), q.entityId(),
                q.sources().stream().sorted().map(TimelineSource::wire).toList(),
                q.since() == null ? null : q.since().toString(),
                q.until() == null ? null : q.until().toString(),
                q.attendeeEmail() == null ? null : q.attendeeEmail().toLowerCase(Locale.ROOT)));
        return ENCODER.encodeToString(Arrays.copyOf(Hashes.sha256(canonical), 12));
    }
}
