package dev.pipedesk.testing;

import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What code that writes meetings talks to, for real, for one test class
 * ({@code @RegisterExtension static}): PostgreSQL and ElasticMQ ({@link OutboxTestEnvironment})
 * and the Google Calendar emulator. Subclasses add what their module's tests need.
 */
public class EmulatedGoogleEnvironment implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final OutboxTestEnvironment outbox = new OutboxTestEnvironment();
    private final EmulatorOptions options;
    private GoogleCalendarEmulator google;

    /** The emulator with its default options (Google's rules, HTTPS-only webhooks, 7-day channels). */
    public EmulatedGoogleEnvironment() {
        this(EmulatorOptions.defaults());
    }

    public EmulatedGoogleEnvironment(EmulatorOptions options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        outbox.beforeAll(context);
        google = GoogleCalendarEmulator.start(options);
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

    public OutboxTestEnvironment outbox() {
        return outbox;
    }

    public TestDatabase database() {
        return outbox.database();
    }

    public DataSource dataSource() {
        return outbox.dataSource();
    }

    public EmulatorControl google() {
        return google.control();
    }

    /**
     * {@code GOOGLE_SERVICE_ACCOUNT_JSON} (a key whose token endpoint is the emulator's),
     * {@code GOOGLE_IMPERSONATE_USER} and {@code GOOGLE_CALENDAR_ROOT_URL} for the emulator, plus {@code more}.
     */
    public Map<String, String> googleEnvironment(String impersonatedUser, Map<String, String> more) {
        Map<String, String> env = googleEnvironment(google, impersonatedUser);
        env.putAll(more);
        return env;
    }

    /**
     * A function's Google variables for {@code google}: {@code GOOGLE_SERVICE_ACCOUNT_JSON} (a key whose
     * token endpoint is the emulator's), {@code GOOGLE_CALENDAR_ROOT_URL}, and
     * {@code GOOGLE_IMPERSONATE_USER} unless {@code impersonatedUser} is null.
     */
    public static Map<String, String> googleEnvironment(GoogleCalendarEmulator google, String impersonatedUser) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GOOGLE_SERVICE_ACCOUNT_JSON", google.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"));
        if (impersonatedUser != null) {
            env.put("GOOGLE_IMPERSONATE_USER", impersonatedUser);
        }
        env.put("GOOGLE_CALENDAR_ROOT_URL", google.rootUrl().toString());
        return env;
    }
}
