package dev.pipedesk.calendar;

import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The mirror in memory, for fast tests of the calendar service: rows by id, the audit events
 * written with them (what the outbox would publish), the meeting locks held, and test controls
 * for a write by another request or the sync and a failing write. A row for the same Google
 * event is adopted: the sync's copy gets the create's idempotency data and its audit event, a
 * concurrent retry's is kept as it is.
 */
final class InMemoryEventStore implements EventStore {
    private final Map<String, CalendarEvent> rows = new LinkedHashMap<>();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final List<EventQuery> listQueries = new ArrayList<>();
    private final Set<String> locksHeld = new HashSet<>();
    private RuntimeException nextWriteFailure;
    private Runnable beforeNextLock;
    private final List<String> writesOutsideTheirLock = new ArrayList<>();

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
    public <T> T exclusively(String calendarId, String googleEventId, Supplier<T> work) {
        Runnable action = beforeNextLock;
        beforeNextLock = null;
        if (action != null) {
            action.run();
        }
        String lock = lockKey(calendarId, googleEventId);
        if (!locksHeld.add(lock)) {
            throw new IllegalStateException("meeting lock taken twice: " + lock);
        }
        try {
            return work.get();
        } finally {
            locksHeld.remove(lock);
        }
    }

    @Override
    public Stored insertOrAdopt(CalendarEvent row, Function<CalendarEvent, AuditEvent> auditOf) {
        failIfAsked();
        checkLocked("insertOrAdopt", row);
        Optional<CalendarEvent> existing = rows.values().stream()
                .filter(stored -> stored.calendarId().equals(row.calendarId())
                        && stored.googleEventId().equals(row.googleEventId()))
                .findFirst();
        if (existing.isPresent() && existing.get().requestHash() != null) {
            return new Stored(existing.get(), false);
        }
        CalendarEvent stored = existing.map(bySync -> new CalendarEvent(bySync.id(), row.googleEventId(),
                row.calendarId(), row.summary(), row.description(), row.startTime(), row.endTime(), row.meetLink(),
                row.conferenceStatus(), row.htmlLink(), row.status(), row.organizerEmail(), row.attendees(),
                row.entityType(), row.entityId(), bySync.createdBy(), row.idempotencyKey(), row.requestHash(),
                row.googleEtag(), row.googleUpdatedAt(), bySync.createdAt(), row.updatedAt())).orElse(row);
        rows.put(stored.id(), stored);
        audit.add(auditOf.apply(stored));
        return new Stored(stored, true);
    }

    @Override
    public Optional<CalendarEvent> updateIfUnchanged(CalendarEvent row, Instant readVersion,
                                                     Function<CalendarEvent, AuditEvent> auditOf) {
        failIfAsked();
        checkLocked("updateIfUnchanged", row);
        CalendarEvent stored = rows.get(row.id());
        if (stored == null || !Objects.equals(stored.updatedAt(), readVersion)) {
            return Optional.empty();
        }
        rows.put(row.id(), row);
        audit.add(auditOf.apply(row));
        return Optional.of(row);
    }

    // ---- test controls ----

    /**
     * Runs just before the next meeting lock is taken: another request that held the lock first
     * (the one about to be taken waits for it, so it runs to its end first).
     */
    void beforeNextLock(Runnable action) {
        beforeNextLock = action;
    }

    /** The service's writes made without their meeting's lock ("operation calendar/googleId"). */
    List<String> writesOutsideTheirLock() {
        return List.copyOf(writesOutsideTheirLock);
    }

    /** Whether the lock of this Google event is held right now. */
    boolean holdsLock(String calendarId, String googleEventId) {
        return locksHeld.contains(lockKey(calendarId, googleEventId));
    }

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

    private void checkLocked(String operation, CalendarEvent row) {
        if (!holdsLock(row.calendarId(), row.googleEventId())) {
            writesOutsideTheirLock.add(operation + " " + row.calendarId() + "/" + row.googleEventId());
        }
    }

    private static String lockKey(String calendarId, String googleEventId) {
        return calendarId + "\n" + googleEventId;
    }

    private void failIfAsked() {
        RuntimeException failure = nextWriteFailure;
        nextWriteFailure = null;
        if (failure != null) {
            throw failure;
        }
    }
}
