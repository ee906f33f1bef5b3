package dev.pipedesk.calendar;

import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The mirror of meetings as the calendar service uses it. Every write commits together with its
 * audit event (transactional outbox), which is then published in the background;
 * {@link PostgresEventStore} is the real one. A write of a meeting runs {@linkplain #exclusively
 * exclusively}: it holds the meeting's lock from its Google write until its mirror write has
 * committed, so the sync never applies PipeDesk's own change before the mirror has it.
 */
public interface EventStore {

    /** By PipeDesk's id (a UUID) or, failing that, by the Google event id. */
    Optional<CalendarEvent> findByIdOrGoogleId(String id);

    Optional<CalendarEvent> findByIdempotencyKey(String createdBy, String idempotencyKey);

    EventPage list(EventQuery query);

    /**
     * Runs {@code work} holding the lock of one Google event (calendar id + Google event id, the
     * lock the sync takes before it applies a change of that event), and answers what it answers.
     * The lock is released when the work ends, however it ends.
     */
    <T> T exclusively(String calendarId, String googleEventId, Supplier<T> work);

    /**
     * The row as stored, and whether this call recorded the meeting's creation (its audit event
     * was written): it inserted the row, or adopted the copy the sync stored first. False when a
     * concurrent retry of the same create had stored the row (and recorded it).
     */
    record Stored(CalendarEvent row, boolean created) {
    }

    /**
     * Inserts a new meeting's row with the audit event {@code auditOf} makes of the stored row.
     * When a row for the same Google event is there already, that row is adopted (its id and
     * creator are kept; it is refreshed from {@code row} unless it holds a later Google version):
     * <ul>
     * <li>stored by the sync (from PipeDesk's markers in Google, no request hash): the adoption
     * fills the idempotency data and writes the audit event (the sync wrote none for it);</li>
     * <li>stored by a concurrent retry of this create (request hash set): no second audit event.</li>
     * </ul>
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
