package dev.pipedesk.sync;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.testing.OutboxTestEnvironment;
import dev.pipedesk.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * What the sync talks to, for real, for one test class ({@code @RegisterExtension static}):
 * PostgreSQL and ElasticMQ ({@link OutboxTestEnvironment}), the Google Calendar emulator (reset
 * before each test) and, on first use in a test, a FIFO sync queue of that test's own.
 */
final class SyncBackends implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    static final String OWNER = "calendar@example.com";

    private final OutboxTestEnvironment outbox = new OutboxTestEnvironment();
    private final EmulatorOptions options;
    private final AtomicInteger syncQueues = new AtomicInteger();
    private GoogleCalendarEmulator google;
    private String syncQueueUrl;

    /** The emulator with its default options (Google's rules, HTTPS-only webhooks, 7-day channels). */
    SyncBackends() {
        this(EmulatorOptions.defaults());
    }

    SyncBackends(EmulatorOptions options) {
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
        outbox.database().execute("delete from calendar_watch_channels", "delete from calendar_sync_state",
                "delete from google_calendar_aliases", "delete from calendar_events");
        google.control().reset();
        syncQueueUrl = null;
    }

    TestDatabase database() {
        return outbox.database();
    }

    DataSource dataSource() {
        return outbox.dataSource();
    }

    EmulatorControl google() {
        return google.control();
    }

    /** The real gateway on the emulator, acting as {@link #OWNER}; retries pause milliseconds. */
    GoogleCalendarGateway gateway() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GOOGLE_SERVICE_ACCOUNT_JSON", google.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"));
        env.put("GOOGLE_IMPERSONATE_USER", OWNER);
        env.put("GOOGLE_CALENDAR_ROOT_URL", google.rootUrl().toString());
        env.put("GOOGLE_RETRY_BASE_DELAY_MS", "10");
        env.put("GOOGLE_RETRY_MAX_DELAY_MS", "80");
        return GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(new Env(env)));
    }

    AuditOutbox auditOutbox() {
        return new AuditOutbox(dataSource(), SqsOutboxSender.fromEnv(new Env(outbox.producerEnvironment())),
                Clock.systemUTC());
    }

    /** This test's FIFO sync queue (created on first use, like {@code pipedesk-calendar-sync.fifo}). */
    SqsSyncQueue syncQueue() {
        return new SqsSyncQueue(outbox.sqs().client(), syncQueueUrl());
    }

    /** The sync requests on this test's queue now (received and deleted), in queue order. */
    List<SyncRequest> syncRequests() {
        return outbox.sqs().receiveAll(syncQueueUrl()).stream()
                .map(message -> Json.read(message.body(), SyncRequest.class)).toList();
    }

    private String syncQueueUrl() {
        if (syncQueueUrl == null) {
            syncQueueUrl = outbox.sqs().createFifoQueue("calendar-sync-" + syncQueues.incrementAndGet() + ".fifo");
        }
        return syncQueueUrl;
    }

    static SyncSettings settings(int maxFullSyncsInARow) {
        return new SyncSettings(Set.of(OWNER), null, Duration.ofDays(7), Duration.ofDays(1), Duration.ofMinutes(10),
                maxFullSyncsInARow);
    }

    /** The audit events on the queue now (received and deleted), oldest first. */
    List<JsonNode> publishedAudit() {
        return outbox.receiveAll().stream().map(message -> Json.MAPPER.readTree(message.body()))
                .sorted(java.util.Comparator.comparing(event -> event.path("occurred_at").asString()))
                .toList();
    }
}
