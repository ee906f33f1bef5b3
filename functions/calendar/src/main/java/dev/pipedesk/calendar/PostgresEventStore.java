package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The mirror in PostgreSQL ({@code calendar_events}): each write and its audit event in one
 * transaction ({@link AuditOutbox#append}), published to the audit queue after commit, in the
 * background (the response does not wait; what the publish cannot send, the relay does).
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
    public Stored insertOrAdopt(CalendarEvent row, Function<CalendarEvent, AuditEvent> auditOf) {
        Transactions.Work<Written> store = connection -> {
            CalendarEventRepository.Stored stored = events.storeByGoogleId(connection, row);
            return new Written(stored.row(), stored.inserted() ? append(connection, auditOf.apply(stored.row())) : null);
        };
        Written written;
        try {
            written = Transactions.inTransaction(dataSource, store);
        } catch (DatabaseException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // A concurrent retry inserted the same row (same id) a moment earlier, so neither saw
            // the other; it has committed by now, and this attempt adopts its row.
            written = Transactions.inTransaction(dataSource, store);
        }
        publish(written);
        return new Stored(written.row(), written.event() != null);
    }

    @Override
    public Optional<CalendarEvent> updateIfUnchanged(CalendarEvent row, Instant readVersion,
                                                     Function<CalendarEvent, AuditEvent> auditOf) {
        Written written = Transactions.inTransaction(dataSource, connection -> {
            Optional<CalendarEvent> updated = events.updateIfUnchanged(connection, row, readVersion);
            return updated.isEmpty() ? null
                    : new Written(updated.get(), append(connection, auditOf.apply(updated.get())));
        });
        if (written == null) {
            return Optional.empty();
        }
        publish(written);
        return Optional.of(written.row());
    }

    private static AuditEvent append(Connection connection, AuditEvent event) throws SQLException {
        AuditOutbox.append(connection, event);
        return event;
    }

    private void publish(Written written) {
        if (written.event() != null) {
            audit.publishInBackground(List.of(written.event().eventId()));
        }
    }

    /** @param event the audit event appended with the write, or null when none was */
    private record Written(CalendarEvent row, AuditEvent event) {
    }
}
