package dev.pipedesk.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.http.OpaqueCursor;
import dev.pipedesk.postgres.TimelinePosition;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineSource;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The opaque {@code cursor} of the unified timeline ({@link OpaqueCursor}):
 * {@code {"v":1,"at":<timestamp>,"s":<source rank>,"id":<id in the source>,"n":<total>,"f":<filters>}},
 * with {@code "x":false} added when that total is not exact.
 * {@code at}/{@code s}/{@code id} are the page's last entry (its keyset position: timestamp
 * descending, source rank, id descending); {@code n} is the total counted on the first page (up to
 * its cap), carried along so that later pages need not count again, and {@code x} says whether the
 * count stopped at the cap (absent: exact); {@code f} is the fingerprint of the filters, as in
 * {@link AuditLogCursor}.
 *
 * <p>A cursor only names a position: the request's filters (and the caller's scope) are applied
 * again, so a hand-made cursor moves within what the caller may read anyway, and its total is only
 * what the client is shown. The fingerprint catches a cursor used with other filters; the page size
 * is not part of it.
 */
final class TimelineCursor {
    static final int VERSION = 1;
    static final String INVALID = OpaqueCursor.INVALID;
    static final String OTHER_FILTERS = AuditLogCursor.OTHER_FILTERS;

    /** Where a cursor continues, and the total it carries (exact or not). */
    record Decoded(TimelinePosition position, long total, boolean totalExact) {
        /** A cursor whose total is exact. */
        Decoded(TimelinePosition position, long total) {
            this(position, total, true);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    private record Payload(
            @JsonProperty("v") int version,
            @JsonProperty("at") Instant timestamp,
            @JsonProperty("s") int source,
            @JsonProperty("id") String id,
            @JsonProperty("n") long total,
            @JsonProperty("f") String filters,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("x") Boolean exact) implements OpaqueCursor.Payload {

        @Override
        public boolean valid() {
            return version == VERSION
                    && timestamp != null && !timestamp.isBefore(DateTimeInput.EARLIEST)
                    && !timestamp.isAfter(DateTimeInput.LATEST)
                    && total >= 0
                    && filters != null && !filters.isEmpty()
                    && !Boolean.TRUE.equals(exact)
                    && position().isPresent();
        }

        @Override
        public String fingerprint() {
            return filters;
        }

        Optional<TimelinePosition> position() {
            return TimelinePosition.of(timestamp, TimelineSource.ofRank(source).orElse(null), id);
        }
    }

    private TimelineCursor() {
    }

    /** The cursor of the page after {@code position}, for the filters of {@code query}, carrying an exact total. */
    static String encode(TimelinePosition position, long total, TimelineQuery query) {
        return encode(position, total, true, query);
    }

    /** The cursor of the page after {@code position}, for the filters of {@code query}. */
    static String encode(TimelinePosition position, long total, boolean totalExact, TimelineQuery query) {
        return OpaqueCursor.encode(new Payload(VERSION, position.timestamp(), position.source().rank(), position.id(),
                total, fingerprint(query), totalExact ? null : Boolean.FALSE));
    }

    /**
     * The position and total a cursor carries, or null with one {@code cursor} detail reported to
     * {@code problems} when it is malformed or (given {@code filters}) made for other filters.
     *
     * @param filters the request's query (position, limit and offset aside), or null to check the form only
     */
    static Decoded decode(String cursor, TimelineQuery filters, Consumer<FieldError> problems) {
        Payload payload = OpaqueCursor.read(cursor, Payload.class, filters == null ? null : fingerprint(filters),
                OTHER_FILTERS, problems);
        return payload == null ? null
                : new Decoded(payload.position().orElseThrow(), payload.total(), payload.exact() == null);
    }

    /**
     * Which entries a query selects, apart from where its page starts and how long it is: the
     * entity, the sources (in rank order), both time bounds as instants, and the client's scope.
     */
    static String fingerprint(TimelineQuery q) {
        return OpaqueCursor.fingerprint(
                "timeline", q.entityType().wire(), q.entityId(),
                q.sources().stream().sorted().map(TimelineSource::wire).toList(),
                q.since() == null ? null : q.since().toString(),
                q.until() == null ? null : q.until().toString(),
                q.attendeeEmail() == null ? null : q.attendeeEmail().toLowerCase(Locale.ROOT));
    }
}
