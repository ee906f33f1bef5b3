package dev.pipedesk.timeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.http.OpaqueCursor;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The opaque {@code cursor} of the audit-log API ({@link OpaqueCursor}):
 * {@code {"v":1,"at":<occurred_at>,"id":<id>,"f":<filters>}}, where {@code at}/{@code id} are
 * the last row of the page (keyset position in the newest-first order) and {@code f} is the
 * fingerprint of the filters the page was read with.
 *
 * <p>A cursor is not a secret and not a capability: the filters of the request are applied
 * again, and a hand-made position only moves the page within what the caller may read anyway.
 * The fingerprint catches a cursor used with other filters, which would otherwise silently
 * skip or repeat rows. Paging limits are not part of it, so the page size may change between
 * pages.
 */
final class AuditLogCursor {
    static final int VERSION = 1;
    static final String INVALID = OpaqueCursor.INVALID;
    static final String OTHER_FILTERS = "was issued for different filters; repeat the first request's filters, or start again without a cursor";

    private record Payload(
            @JsonProperty("v") int version,
            @JsonProperty("at") Instant occurredAt,
            @JsonProperty("id") long id,
            @JsonProperty("f") String filters) implements OpaqueCursor.Payload {

        @Override
        public boolean valid() {
            return version == VERSION
                    && occurredAt != null && !occurredAt.isBefore(DateTimeInput.EARLIEST)
                    && !occurredAt.isAfter(DateTimeInput.LATEST)
                    && id > 0
                    && filters != null && !filters.isEmpty();
        }

        @Override
        public String fingerprint() {
            return filters;
        }
    }

    private AuditLogCursor() {
    }

    /** The cursor of the page that starts after {@code position}, for these filters. */
    static String encode(AuditLogPosition position, AuditLogQuery filters) {
        return OpaqueCursor.encode(new Payload(VERSION, position.occurredAt(), position.id(), fingerprint(filters)));
    }

    /**
     * The position a cursor names, or null with one {@code cursor} detail reported to
     * {@code problems} when it is malformed or (given {@code filters}) made for other filters.
     *
     * @param filters the request's filters, or null to check the cursor's form only
     */
    static AuditLogPosition decode(String cursor, AuditLogQuery filters, Consumer<FieldError> problems) {
        Payload payload = OpaqueCursor.read(cursor, Payload.class, filters == null ? null : fingerprint(filters),
                OTHER_FILTERS, problems);
        return payload == null ? null : new AuditLogPosition(payload.occurredAt(), payload.id());
    }

    /** Which rows a query selects, apart from where its page starts and how long it is. */
    static String fingerprint(AuditLogQuery q) {
        return OpaqueCursor.fingerprint(q.entityType(), q.entityId(), q.action(), q.actorId(),
                q.occurredFrom() == null ? null : q.occurredFrom().toString(),
                q.occurredBefore() == null ? null : q.occurredBefore().toString());
    }
}
