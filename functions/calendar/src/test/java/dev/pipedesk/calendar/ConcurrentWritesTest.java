package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.postgres.CalendarEventRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two calendar function instances (as Lambda runs them, side by side) writing the same meeting at
 * the same moment, on real PostgreSQL, the Google Calendar emulator and ElasticMQ. The race is
 * made certain, not hoped for: a test transaction holds {@code calendar_events} in SHARE mode, so
 * both requests read the row; the one that takes the meeting lock first talks to Google and waits
 * at its mirror write, the other waits for the meeting lock, until the test lets them go.
 */
@Tag("integration")
class ConcurrentWritesTest {
    @RegisterExtension
    static final CalendarBackends backends = new CalendarBackends();

    private static final Principal SALES = new Principal("concurrent-sales", "sales@example.com", Role.SALES);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-1", "203.0.113.7", "test");

    private CalendarService instance() {
        DataSource dataSource = backends.dataSource();
        GoogleCalendarGateway gateway = GoogleCalendarGateway.create(
                GoogleCalendarSettings.fromEnv(new Env(backends.googleEnvironment(Map.of()))));
        return new CalendarService(backends.eventStore(dataSource), gateway, WritableCalendars.primaryOnly(),
                Clock.systemUTC());
    }

    private static NewEvent meeting(String summary) {
        return EventInput.parseNew("""
                {"summary": "%s", "start_time": "2031-05-01T10:00:00Z", "end_time": "2031-05-01T11:00:00Z",
                 "create_meet_link": false, "entity_type": "deal", "entity_id": "deal-1"}""".formatted(summary));
    }

    @Test
    void twoInstancesCancellingOneMeetingAtOnceRecordOneCancel() throws Exception {
        CalendarService first = instance();
        CalendarService second = instance();
        CalendarEvent meeting = first.create(meeting("Cancelled twice at once"), null, SALES, ORIGIN).event();

        List<CalendarEvent> results = raceAtTheMirrorWrite(
                () -> first.cancel(meeting.id(), SALES, ORIGIN),
                () -> second.cancel(meeting.id(), SALES, ORIGIN));

        assertThat(results).extracting(CalendarEvent::status).containsOnly(EventStatus.CANCELLED);
        assertThat(auditActions(meeting.id())).containsExactly("create", "cancel");
    }

    @Test
    void twoInstancesCreatingWithOneIdempotencyKeyAtOnceMakeOneMeetingAndOneCreate() throws Exception {
        CalendarService first = instance();
        CalendarService second = instance();
        String key = "key-" + UUID.randomUUID();
        NewEvent input = meeting("Created twice at once");

        List<CalendarService.Created> results = raceAtTheMirrorWrite(
                () -> first.create(input, key, SALES, ORIGIN),
                () -> second.create(input, key, SALES, ORIGIN));

        assertThat(results).extracting(created -> created.event().id()).containsOnly(results.getFirst().event().id());
        assertThat(results).extracting(CalendarService.Created::replayed).containsExactlyInAnyOrder(false, true);
        assertThat(auditActions(results.getFirst().event().id())).containsExactly("create");
    }

    /**
     * Runs both writes while {@code calendar_events} is held in SHARE mode (reads pass, writes
     * wait), lets them go once one waits at its mirror write and the other for the meeting lock,
     * and returns their results in order.
     */
    private static <T> List<T> raceAtTheMirrorWrite(Callable<T> one, Callable<T> other) throws Exception {
        try (Connection gate = backends.dataSource().getConnection();
             ExecutorService instances = Executors.newFixedThreadPool(2)) {
            gate.setAutoCommit(false);
            try (Statement lock = gate.createStatement()) {
                lock.execute("lock table calendar_events in share mode");
            }
            Future<T> first = instances.submit(one);
            Future<T> second = instances.submit(other);
            await("one write waiting at the mirror, the other for the meeting lock").atMost(Duration.ofSeconds(30))
                    .until(() -> waiting("relation = 'calendar_events'::regclass") == 1
                            && waiting("locktype = 'advisory'") == 1);
            gate.commit();
            List<T> results = new ArrayList<>();
            results.add(first.get());
            results.add(second.get());
            return results;
        }
    }

    /** How many lock requests matching {@code condition} are waiting. */
    private static int waiting(String condition) throws SQLException {
        try (Connection c = backends.dataSource().getConnection();
             Statement query = c.createStatement();
             ResultSet rs = query.executeQuery("select count(*) from pg_locks where not granted and " + condition)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> auditActions(String meetingId) {
        return PublishedAudit.actionsOf(backends.outbox(), meetingId);
    }
}
