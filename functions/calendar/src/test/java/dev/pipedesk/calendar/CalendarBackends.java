package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the calendar function talks to, for real, for one test class ({@code @RegisterExtension static}):
 * PostgreSQL and ElasticMQ ({@link OutboxTestEnvironment}) and the Google Calendar emulator.
 */
final class CalendarBackends implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final OutboxTestEnvironment outbox = new OutboxTestEnvironment();
    private GoogleCalendarEmulator google;

    @Override
    public void beforeAll(ExtensionContext context) {
        outbox.beforeAll(context);
        google = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        google.close();
        outbox.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        outbox.beforeEach(context);
    }

    OutboxTestEnvironment outbox() {
        return outbox;
    }

    DataSource dataSource() {
        return outbox.dataSource();
    }

    EmulatorControl google() {
        return google.control();
    }

    /** GOOGLE_SERVICE_ACCOUNT_JSON, GOOGLE_IMPERSONATE_USER and GOOGLE_CALENDAR_ROOT_URL for the emulator, plus {@code more}. */
    Map<String, String> googleEnvironment(Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GOOGLE_SERVICE_ACCOUNT_JSON", google.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"));
        env.put("GOOGLE_IMPERSONATE_USER", "calendar@example.com");
        env.put("GOOGLE_CALENDAR_ROOT_URL", google.rootUrl().toString());
        env.putAll(more);
        return env;
    }

    /** The calendar function's store on {@code dataSource}, with its outbox publishing to ElasticMQ. */
    PostgresEventStore eventStore(DataSource dataSource) {
        SqsOutboxSender sender = SqsOutboxSender.fromEnv(new Env(outbox.producerEnvironment()));
        return new PostgresEventStore(dataSource, new AuditOutbox(dataSource, sender, Clock.systemUTC()));
    }
}
