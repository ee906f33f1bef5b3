package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import dev.pipedesk.postgres.MeetingLocks;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The mirror in PostgreSQL ({@code calendar_events}): each write and its audit event in one
 * transaction ({@link AuditOutbox#append}), published to the audit queue after commit, in the
 * background (the response does not wait; what the publish cannot send, the relay does).
 * {@link #exclusively} holds the meeting lock ({@link MeetingLocks}); on the calendar function's
 * data source ({@link PinnedConnections}) the lock and the writes under it share one connection.
 */
public final class PostgresEventStore implements EventStore {
    private final DataSource dataSource;
    private final CalendarEventRepository events;
    private final AuditOutbox audit;

    public PostgresEventStore(DataSource dataSource, AuditOutbox audit) {
        this.dataSource = dataSource;
        this.events = new CalendarEventRepository(dataSource);
        this.audit = audit;
    }

    @Override
    public Optional<CalendarEvent> findByIdOrGoogleId(String id) {
        return events.findByIdOrGoogleId(id);
    }

    @Override
    public Optional<CalendarEvent> findByIdempotencyKey(String createdBy, String idempotencyKey) {
        return events.findByIdempotencyKey(createdBy, idempotencyKey);
    }

    @Override
    public EventPage list(EventQuery query) {
        return events.list(query);
    }

    @Override
    public <T> T exclusively(String calendarId, String googleEventId, Supplier<T> work) {
        return PinnedConnections.onOneConnection(
                () -> MeetingLocks.whileHolding(dataSource, calendarId, googleEventId, work));
    }

    @Override
    public Stored insertOrAdopt(CalendarEvent row, Function<CalendarEvent, AuditEvent> auditOf) {
        AuditedWrite<CalendarEvent> written;
        try {
            written = Transactions.inTransaction(dataSource, connection -> insertOrAdopt(connection, row, auditOf));
        } catch (InsertedMeanwhile | DatabaseException e) {
            if (e instanceof DatabaseException failed && !failed.isUniqueViolation()) {
                throw e;
            }
            // Another transaction inserted the row after this one looked (possible only when it
            // did not wait for the meeting lock); it has committed by now: adopt its row.
            written = Transactions.inTransaction(dataSource, connection -> insertOrAdopt(connection, row, auditOf));
        }
        return new Stored(written.publish(audit), written.audited());
    }

    /**
     * The row of the Google event is read and locked first, so whether it is there, and who stored
     * it, cannot change before this transaction ends.
     */
    private AuditedWrite<CalendarEvent> insertOrAdopt(Connection connection, CalendarEvent row, Function<CalendarEvent, AuditEvent> auditOf)
            throws SQLException {
        Optional<CalendarEvent> existing = events.findByGoogleIdForUpdate(connection, row.calendarId(),
                row.googleEventId());
        CalendarEventRepository.Stored stored = events.storeByGoogleId(connection,
                existing.map(earlier -> adopted(earlier, row)).orElse(row));
        if (existing.isEmpty() && !stored.inserted()) {
            throw new InsertedMeanwhile();
        }
        boolean recordsTheCreate = existing.map(PostgresEventStore::storedBySync).orElse(true);
        CalendarEvent result = stored.row();
        if (existing.isPresent() && recordsTheCreate) {
            // The sync stored it as made in Google; this create is who made it.
            events.setCreator(connection, result.id(), row.createdBy());
            result = events.findByGoogleIdForUpdate(connection, row.calendarId(), row.googleEventId()).orElseThrow();
        }
        return recordsTheCreate ? AuditedWrite.appended(connection, result, auditOf.apply(result))
                : AuditedWrite.unchanged(result);
    }

    /** A row the sync stored from PipeDesk's markers in Google: it carries no create request. */
    static boolean storedBySync(CalendarEvent row) {
        return row.requestHash() == null;
    }

    /**
     * What an adoption writes: the create's row, unless the stored one holds a later Google
     * version (the sync stored a change made after the create's insert); then its Google fields
     * stay and only the create's idempotency data is added (the repository keeps id, creator
     * and creation time either way).
     */
    static CalendarEvent adopted(CalendarEvent stored, CalendarEvent created) {
        boolean storedIsLater = stored.googleUpdatedAt() != null && created.googleUpdatedAt() != null
                && stored.googleUpdatedAt().isAfter(created.googleUpdatedAt());
        if (!storedIsLater) {
            return created;
        }
        return new CalendarEvent(stored.id(), stored.googleEventId(), stored.calendarId(), stored.summary(),
                stored.description(), stored.startTime(), stored.endTime(), stored.meetLink(), stored.conferenceStatus(),
                stored.htmlLink(), stored.status(), stored.organizerEmail(), stored.attendees(), created.entityType(),
                created.entityId(), stored.createdBy(), created.idempotencyKey(), created.requestHash(),
                stored.googleEtag(), stored.googleUpdatedAt(), stored.createdAt(), created.updatedAt());
    }

    @Override
    public Optional<CalendarEvent> updateIfUnchanged(CalendarEvent row, Instant readVersion,
                                                     Function<CalendarEvent, AuditEvent> auditOf) {
        AuditedWrite<CalendarEvent> written = Transactions.inTransaction(dataSource, connection -> {
            Optional<CalendarEvent> updated = events.updateIfUnchanged(connection, row, readVersion);
            return updated.isEmpty() ? null : AuditedWrite.appended(connection, updated.get(), auditOf.apply(updated.get()));
        });
        return written == null ? Optional.empty() : Optional.of(written.publish(audit));
    }

    /** The row was not there when the transaction looked, but was when it wrote: rolled back, to look again. */
    private static final class InsertedMeanwhile extends RuntimeException {
        InsertedMeanwhile() {
            super("calendar_events row inserted by another transaction meanwhile", null, false, false);
        }
    }
}
