package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.testing.OutboxTestEnvironment;
import dev.pipedesk.core.Env;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A calendar service wired as {@code CalendarApplication} wires it, on the test's real PostgreSQL
 * and queue ({@link OutboxTestEnvironment}) and the Google Calendar emulator; Google retries and
 * Meet polling pause milliseconds, not seconds.
 */
final class RealCalendarService {
    private RealCalendarService() {
    }

    static CalendarService on(OutboxTestEnvironment environment, GoogleCalendarEmulator google) {
        DataSource dataSource = environment.dataSource();
        GoogleCalendarGateway gateway = GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(new Env(Map.of(
                "GOOGLE_SERVICE_ACCOUNT_JSON", google.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"),
                "GOOGLE_IMPERSONATE_USER", "calendar@example.com",
                "GOOGLE_CALENDAR_ROOT_URL", google.rootUrl().toString(),
                "GOOGLE_RETRY_BASE_DELAY_MS", "10",
                "GOOGLE_RETRY_MAX_DELAY_MS", "80",
                "MEET_POLL_BASE_DELAY_MS", "10"))));
        return new CalendarService(new PostgresEventStore(dataSource,
                new AuditOutbox(dataSource, SqsOutboxSender.fromEnv(new Env(environment.producerEnvironment())), Clock.systemUTC())),
                gateway, WritableCalendars.primaryOnly(), Clock.systemUTC());
    }
}
