package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.RequestDeadline;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.emulator.calendar.ExternalEdit;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.GoogleEventSnapshot;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.sync.CalendarIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The calendar function's side of the sync contract, on real PostgreSQL, the Google Calendar
 * emulator and ElasticMQ: its writes hold the meeting lock (the sync's lock) across the Google
 * write, a create adopts the row the sync stored first and records it, a PATCH whose row the
 * sync already brought to its result succeeds, Google-side changes found by a PATCH are the
 * sync's, calendars are stored under their canonical id, and a write needs one connection of the
 * pool. The sync's own writes are made here as it makes them: rows written directly through the
 * repository, with no audit event, while the request is caught inside Google ({@link HookedGoogle}).
 */
@Tag("integration")
class SyncSafeWritesTest {
    @RegisterExtension
    static final CalendarBackends backends = new CalendarBackends();

    private static final Principal SALES = new Principal("sync-safe-sales", "sales@example.com", Role.SALES);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-sync-safe", "203.0.113.9", "sync-test");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HookedGoogle google = new HookedGoogle(gateway());

    private static GoogleCalendarGateway gateway() {
        return GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(new Env(backends.googleEnvironment(Map.of(
                "GOOGLE_RETRY_BASE_DELAY_MS", "10", "GOOGLE_RETRY_MAX_DELAY_MS", "80", "MEET_POLL_BASE_DELAY_MS", "10")))));
    }

    private CalendarService service() {
        return service(backends.dataSource(), CalendarIdResolver.AS_GIVEN);
    }

    private CalendarService service(DataSource dataSource, CalendarIdResolver calendarIds) {
        return new CalendarService(backends.eventStore(dataSource), google, WritableCalendars.primaryOnly(), calendarIds,
                Clock.systemUTC());
    }

    private static NewEvent meeting(String summary) {
        return EventInput.parseNew("""
                {"summary": "%s", "start_time": "2031-06-01T10:00:00Z", "end_time": "2031-06-01T11:00:00Z",
                 "create_meet_link": false, "entity_type": "deal", "entity_id": "deal-sync"}""".formatted(summary));
    }

    private static EventChanges rename(String summary) {
        return new EventChanges(FieldChange.set(summary), FieldChange.keep(), FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.keep());
    }

    // ---- the meeting lock ----

    @Test
    void theMeetingLockIsHeldWhileACreateIsInsideGoogle() throws Exception {
        CalendarService service = service();
        HookedGoogle.Pause insideGoogle = google.pauseAfterNext("insert");

        assertLockedWhileHeld(insideGoogle, () -> service.create(meeting("Locked create"), null, SALES, ORIGIN).event());
    }

    @Test
    void theMeetingLockIsHeldWhileAnUpdateIsInsideGoogle() throws Exception {
        CalendarService service = service();
        CalendarEvent meeting = service.create(meeting("Locked update"), null, SALES, ORIGIN).event();
        HookedGoogle.Pause insideGoogle = google.pauseAfterNext("patch");

        CalendarEvent updated = assertLockedWhileHeld(insideGoogle,
                () -> service.update(meeting.id(), rename("Locked, renamed"), SALES, ORIGIN));

        assertThat(updated.summary()).isEqualTo("Locked, renamed");
    }

    @Test
    void theMeetingLockIsHeldWhileACancelIsInsideGoogle() throws Exception {
        CalendarService service = service();
        CalendarEvent meeting = service.create(meeting("Locked cancel"), null, SALES, ORIGIN).event();
        HookedGoogle.Pause insideGoogle = google.pauseAfterNext("delete");

        CalendarEvent cancelled = assertLockedWhileHeld(insideGoogle, () -> service.cancel(meeting.id(), SALES, ORIGIN));

        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
    }

    /**
     * Runs the write until it is held inside Google, checks from another connection that its
     * meeting's lock is taken, lets it go, and checks the lock is free once it has answered.
     */
    private static CalendarEvent assertLockedWhileHeld(HookedGoogle.Pause insideGoogle,
                                                       Callable<CalendarEvent> write)
            throws Exception {
        try (ExecutorService request = Executors.newSingleThreadExecutor()) {
            Future<CalendarEvent> answer = request.submit(write);
            HookedGoogle.Call held = insideGoogle.awaitHeld(WAIT);
            boolean freeWhileInsideGoogle = tryMeetingLock(held.calendarId(), held.googleEventId());
            insideGoogle.release();
            CalendarEvent result = answer.get();

            assertThat(freeWhileInsideGoogle).as("the lock was free while the write was inside Google").isFalse();
            assertThat(result.googleEventId()).isEqualTo(held.googleEventId());
            assertThat(tryMeetingLock(held.calendarId(), held.googleEventId())).as("released").isTrue();
            return result;
        }
    }

    /** The sync's check: takes the meeting lock for one statement if it is free (autocommit). */
    private static boolean tryMeetingLock(String calendarId, String googleEventId) throws SQLException {
        try (Connection c = backends.dataSource().getConnection();
             PreparedStatement query = c.prepareStatement(
                     "select pg_try_advisory_xact_lock(20548, hashtext(? || E'\\n' || ?))")) {
            query.setString(1, calendarId);
            query.setString(2, googleEventId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    // ---- a create meets the sync's copy of its event ----

    /**
     * The row the sync stores for an event with PipeDesk's markers and no mirror row: the marker's
     * row id, but made in Google as far as it can tell (creator system:google-sync, no CRM link,
     * no request hash), since markers can be forged.
     */
    private static CalendarEvent storedBySync(String calendarId, GoogleEventSnapshot g) {
        Map<String, String> markers = g.privateProperties();
        Instant now = Instant.now();
        return new CalendarEvent(markers.get("pipedesk_event_id"), g.id(), calendarId, g.summary(), g.description(),
                g.start(), g.end(), g.meetLink(), g.conferenceStatus(), g.htmlLink(), g.status(), g.organizerEmail(),
                g.attendees(), null, null, "system:google-sync", null, null, g.etag(), g.updated(), now, now);
    }

    private static void storeAsTheSync(CalendarEvent row) {
        Transactions.inTransaction(backends.dataSource(),
                connection -> new CalendarEventRepository(backends.dataSource()).storeByGoogleId(connection, row));
    }

    @Test
    void aCreateAdoptsTheRowTheSyncStoredFirstAndRecordsOneCreate() {
        google.afterNext("insert", insert -> storeAsTheSync(storedBySync(insert.calendarId(), insert.answer())));
        String key = "key-" + UUID.randomUUID();

        CalendarService.Created created = service().create(meeting("Synced before mirrored"), key, SALES, ORIGIN);

        CalendarEvent row = created.event();
        assertThat(created.replayed()).isFalse();
        assertThat(row.idempotencyKey()).isEqualTo(key);
        assertThat(row.requestHash()).isNotNull();
        assertThat(row.createdBy()).isEqualTo(SALES.userId());
        assertThat(row.entityId()).isEqualTo("deal-sync");
        assertThat(service().get(row.id())).isEqualTo(row);
        assertThat(PublishedAudit.actionsOf(backends.outbox(), row.id())).containsExactly("create");
    }

    @Test
    void anAdoptedRowKeepsTheLaterGoogleVersionTheSyncStored() {
        GoogleCalendarGateway reader = gateway();
        google.afterNext("insert", insert -> {
            backends.google().editAsUser(insert.calendarId(), insert.googleEventId(),
                    ExternalEdit.by("colleague@example.com").withSummary("Renamed in Google at once"));
            storeAsTheSync(storedBySync(insert.calendarId(), reader.get(insert.calendarId(), insert.googleEventId())));
        });

        CalendarEvent row = service().create(meeting("Created"), null, SALES, ORIGIN).event();

        assertThat(row.summary()).isEqualTo("Renamed in Google at once");
        assertThat(row.googleEtag()).isEqualTo(reader.get(row.calendarId(), row.googleEventId()).etag());
        assertThat(row.requestHash()).isNotNull();
        assertThat(PublishedAudit.actionsOf(backends.outbox(), row.id())).containsExactly("create");
    }

    @Test
    void aRowStoredByARetryOfTheSameCreateIsAdoptedWithNoSecondCreate() {
        CalendarService.Created first = service().create(meeting("Retried"), "key-" + UUID.randomUUID(), SALES, ORIGIN);

        // What a concurrent retry of the same create does at its mirror write: the row is there, with its request hash.
        EventStore.Stored retried = backends.eventStore(backends.dataSource()).insertOrAdopt(first.event(),
                row -> CalendarAudit.created(row, SALES.userId(), ORIGIN, Instant.now()));

        assertThat(retried.created()).isFalse();
        assertThat(retried.row().id()).isEqualTo(first.event().id());
        assertThat(PublishedAudit.actionsOf(backends.outbox(), first.event().id())).containsExactly("create");
    }

    // ---- a PATCH meets the sync ----

    @Test
    void aPatchWhoseRowTheSyncBroughtToItsResultAnswers200WithOneUpdate() {
        CalendarService service = service();
        CalendarEvent before = service.create(meeting("Patched"), null, SALES, ORIGIN).event();
        google.afterNext("patch", patch -> Transactions.inTransaction(backends.dataSource(), connection ->
                new CalendarEventRepository(backends.dataSource()).updateIfUnchanged(connection,
                        synced(before, patch.answer()), before.updatedAt()).orElseThrow()));

        CalendarEvent after = service.update(before.id(), rename("Patched, renamed"), SALES, ORIGIN);

        assertThat(after.summary()).isEqualTo("Patched, renamed");
        assertThat(after.googleEtag()).isEqualTo(gateway().get(before.calendarId(), before.googleEventId()).etag());
        assertThat(service.get(before.id())).isEqualTo(after);
        List<JsonNode> audit = PublishedAudit.eventsOf(backends.outbox(), before.id());
        assertThat(audit).extracting(event -> event.path("action").asString()).containsExactly("create", "update");
        assertThat(audit.getLast().path("changes").path("summary").path("new").asString()).isEqualTo("Patched, renamed");
        assertThat(audit.getLast().path("actor").path("id").asString()).isEqualTo(SALES.userId());
    }

    /** The row as the sync leaves it after taking in Google's version {@code g}. */
    private static CalendarEvent synced(CalendarEvent row, GoogleEventSnapshot g) {
        return new CalendarEvent(row.id(), row.googleEventId(), row.calendarId(), g.summary(), g.description(), g.start(),
                g.end(), g.meetLink(), row.conferenceStatus(), g.htmlLink(), g.status(), g.organizerEmail(),
                g.attendees(), row.entityType(), row.entityId(), row.createdBy(), row.idempotencyKey(),
                row.requestHash(), g.etag(), g.updated(), row.createdAt(), Instant.now());
    }

    @Test
    void aConflictFoundByAPatchIsPublishedAsGoogleSyncsWithTheRequestThatFoundIt() {
        CalendarService service = service();
        CalendarEvent before = service.create(meeting("Conflicted"), null, SALES, ORIGIN).event();
        backends.google().editAsUser(before.calendarId(), before.googleEventId(),
                ExternalEdit.by("colleague@example.com").withSummary("Changed in Google"));

        ApiException conflict = catchThrowableOfType(ApiException.class,
                () -> service.update(before.id(), rename("Mine"), SALES, ORIGIN));

        assertThat(conflict.errorCode()).isEqualTo(ErrorCode.CONFLICT);
        JsonNode entry = PublishedAudit.eventsOf(backends.outbox(), before.id()).getLast();
        assertThat(entry.path("action").asString()).isEqualTo("sync_conflict");
        assertThat(entry.path("actor").path("type").asString()).isEqualTo("system");
        assertThat(entry.path("actor").path("id").asString()).isEqualTo("system:google-sync");
        assertThat(entry.path("request_id").asString()).isEqualTo("req-sync-safe");
        assertThat(entry.path("changes").path("summary").path("new").asString()).isEqualTo("Changed in Google");
    }

    // ---- canonical calendar ids ----

    @Test
    void primaryIsStoredAsTheImpersonatedUsersEmailAndTheMeetingIsStillFoundAndChanged() {
        CalendarIds calendarIds = new CalendarIds(backends.dataSource(), gateway());
        CalendarService service = service(backends.dataSource(), calendarIds::canonical);

        CalendarEvent created = service.create(meeting("On primary"), null, SALES, ORIGIN).event();
        CalendarEvent renamed = service.update(created.id(), rename("On primary, renamed"), SALES, ORIGIN);

        assertThat(created.calendarId()).isEqualTo("calendar@example.com");
        assertThat(service.get(created.id(), SALES)).isEqualTo(renamed);
        assertThat(service.get(created.googleEventId(), SALES).id()).isEqualTo(created.id());
        assertThat(backends.google().event("calendar@example.com", created.googleEventId()).orElseThrow()
                .path("summary").asString()).isEqualTo("On primary, renamed");
        assertThat(backends.outbox().database().count(
                "select count(*) from google_calendar_aliases where alias = 'primary' "
                        + "and calendar_id = 'calendar@example.com'")).isEqualTo(1);
    }

    // ---- connections ----

    @Test
    void aWriteNeedsOneConnectionOfTheDefaultPoolSoABusyBackgroundPublishNeverStarvesIt() throws Exception {
        DatabaseSettings settings = new DatabaseSettings(backends.outbox().database().jdbcUrl(), "postgres", "postgres",
                DatabaseSettings.DEFAULT_POOL_SIZE);
        AnswerBudget budget = new AnswerBudget(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(3));
        try (HikariDataSource pool = Databases.create(settings, budget.databaseConnect())) {
            CalendarService service = service(CalendarApplication.requestDataSource(pool, budget, Clock.systemUTC()),
                    CalendarIdResolver.AS_GIVEN);
            Function<Supplier<CalendarEvent>, CalendarEvent> request = work ->
                    RequestDeadline.callWithin(budget.deadlineFor(Instant.now()), work);
            CalendarEvent meeting;
            // The other connection of the pool is busy throughout, as with a publish to a slow queue.
            try (Connection busy = pool.getConnection()) {
                meeting = request.apply(() -> service.create(meeting("One connection"), null, SALES, ORIGIN).event());
                request.apply(() -> service.update(meeting.id(), rename("One connection, renamed"), SALES, ORIGIN));
                request.apply(() -> service.cancel(meeting.id(), SALES, ORIGIN));
                assertThat(busy.isValid(1)).isTrue();
            }

            assertThat(PublishedAudit.actionsOf(backends.outbox(), meeting.id()))
                    .containsExactly("create", "update", "cancel");
        }
    }
}
