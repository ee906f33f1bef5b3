package dev.pipedesk.calendar;

import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The mirror in memory, for fast tests of the calendar service: rows by id, the audit events
 * written with them (what the outbox would publish), and test controls for a write by another
 * request and a failing write. A row for the same Google event is adopted as it is.
 */
final class InMemoryEventStore implements EventStore {
    private final Map<String, CalendarEvent> rows = new LinkedHashMap<>();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final List<EventQuery> listQueries = new ArrayList<>();
    private RuntimeException nextWriteFailure;

    @Override
    public Optional<CalendarEvent> findByIdOrGoogleId(String id) {
        return Optional.ofNullable(rows.get(id))
                .or(() -> rows.values().stream().filter(row -> row.googleEventId().equals(id)).findFirst());
    }

    @Override
    public Optional<CalendarEvent> findByIdempotencyKey(String createdBy, String idempotencyKey) {
        return rows.values().stream()
                .filter(row -> row.createdBy().equals(createdBy) && idempotencyKey.equals(row.idempotencyKey()))
                .findFirst();
    }

    /**
     * Listing is a PostgreSQL query (CalendarEventRepositoryTest covers its filters): here every
     * row is listed, and the query is kept for {@link #listQueries()}.
     */
    @Override
    public EventPage list(EventQuery query) {
        listQueries.add(query);
        return new EventPage(List.copyOf(rows.values()), rows.size());
    }

    @Override
    public Stored insertOrAdopt(CalendarEvent row, Function<CalendarEvent, AuditEvent> auditOf) {
        failIfAsked();
        Optional<CalendarEvent> existing = rows.values().stream()
                .filter(stored -> stored.calendarId().equals(row.calendarId())
                        && stored.googleEventId().equals(row.googleEventId()))
                .findFirst();
        if (existing.isPresent()) {
            return new Stored(existing.get(), false);
        }
        rows.put(row.id(), row);
        audit.add(auditOf.apply(row));
        return new Stored(row, true);
    }

    @Override
    public Optional<CalendarEvent> updateIfUnchanged(CalendarEvent row, Instant readVersion,
                                                     Function<CalendarEvent, AuditEvent> auditOf) {
        failIfAsked();
        CalendarEvent stored = rows.get(row.id());
        if (stored == null || !Objects.equals(stored.updatedAt(), readVersion)) {
            return Optional.empty();
        }
        rows.put(row.id(), row);
        audit.add(auditOf.apply(row));
        return Optional.of(row);
    }

    // ---- test controls ----

    /** Another request writes the row (its own audit event is not this test's concern). */
    void writeAsAnotherRequest(CalendarEvent row) {
        rows.put(row.id(), row);
    }

    /** The next write fails with this, as a database failure would. */
    void failNextWrite(RuntimeException failure) {
        nextWriteFailure = failure;
    }

    List<CalendarEvent> rows() {
        return List.copyOf(rows.values());
    }

    List<AuditEvent> audit() {
        return List.copyOf(audit);
    }

    /** The queries {@link #list} was asked, in order. */
    List<EventQuery> listQueries() {
        return List.copyOf(listQueries);
    }

    List<String> auditActions() {
        return audit.stream().map(AuditEvent::action).toList();
    }

    private void failIfAsked() {
        RuntimeException failure = nextWriteFailure;
        nextWriteFailure = null;
        if (failure != null) {
            throw failure;
        }
    }
}
