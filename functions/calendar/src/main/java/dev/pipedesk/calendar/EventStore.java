package dev.pipedesk.calendar;

import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The mirror of meetings as the calendar service uses it. Every write commits together with its
 * audit event (transactional outbox), which is then published in the background;
 * {@link PostgresEventStore} is the real one.
 */
public interface EventStore {

    /** By PipeDesk's id (a UUID) or, failing that, by the Google event id. */
    Optional<CalendarEvent> findByIdOrGoogleId(String id);

    Optional<CalendarEvent> findByIdempotencyKey(String createdBy, String idempotencyKey);

    EventPage list(EventQuery query);

    /** The row as stored, and whether this call inserted it. */
    record Stored(CalendarEvent row, boolean inserted) {
    }

    /**
     * Inserts a new meeting's row with the audit event {@code auditOf} makes of the stored row.
     * When a row for the same Google event is there already (a concurrent retry of the create, or
     * the sync stored it first), that row is adopted, refreshed from {@code row}, and no second
     * audit event is written.
     */
    Stored insertOrAdopt(CalendarEvent row, Function<CalendarEvent, AuditEvent> auditOf);

    /**
     * Writes the row with the audit event {@code auditOf} makes of it, provided the stored row is
     * still the version that was read (its {@code updatedAt} equals {@code readVersion}), so a
     * concurrent write is never overwritten. Empty when the row changed meanwhile: nothing is
     * written and nothing audited.
     */
    Optional<CalendarEvent> updateIfUnchanged(CalendarEvent row, Instant readVersion,
                                              Function<CalendarEvent, AuditEvent> auditOf);
}
