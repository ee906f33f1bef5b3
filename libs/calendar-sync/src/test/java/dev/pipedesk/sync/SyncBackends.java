package dev.pipedesk.sync;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.testing.EmulatedGoogleEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * What the sync talks to, for real, for one test class ({@code @RegisterExtension static}):
 * PostgreSQL, ElasticMQ and the Google Calendar emulator ({@link EmulatedGoogleEnvironment}; reset
 * before each test) and, on first use in a test, a FIFO sync queue of that test's own.
 */
final class SyncBackends extends EmulatedGoogleEnvironment {
    static final String OWNER = "calendar@example.com";

    private final AtomicInteger syncQueues = new AtomicInteger();
    private String syncQueueUrl;

    /** The emulator with its default options (Google's rules, HTTPS-only webhooks, 7-day channels). */
    SyncBackends() {
        super();
    }

    SyncBackends(EmulatorOptions options) {
        super(options);
    }

    /** Each test starts with no sync state, channels or meetings, and an emulator as new. */
    @Override
    public void beforeEach(ExtensionContext context) {
        super.beforeEach(context);
        database().execute("delete from calendar_watch_channels", "delete from calendar_sync_state",
                "delete from google_calendar_aliases", "delete from calendar_events");
        google().reset();
        syncQueueUrl = null;
    }


    /** The real gateway on the emulator, acting as {@link #OWNER}; retries pause milliseconds. */
    GoogleCalendarGateway gateway() {
        return GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(new Env(googleEnvironment(OWNER, Map.of(
                "GOOGLE_RETRY_BASE_DELAY_MS", "10",
                "GOOGLE_RETRY_MAX_DELAY_MS", "80")))));
    }

    AuditOutbox auditOutbox() {
        return new AuditOutbox(dataSource(), SqsOutboxSender.fromEnv(new Env(outbox().producerEnvironment())),
                Clock.systemUTC());
    }

    /** This test's FIFO sync queue (created on first use, like {@code pipedesk-calendar-sync.fifo}). */
    SqsSyncQueue syncQueue() {
        return new SqsSyncQueue(outbox().sqs().client(), syncQueueUrl());
    }

    /** The sync requests on this test's queue now (received and deleted), in queue order. */
    List<SyncRequest> syncRequests() {
        return outbox().sqs().receiveAll(syncQueueUrl()).stream()
                .map(message -> Json.read(message.body(), SyncRequest.class)).toList();
    }

    private String syncQueueUrl() {
        if (syncQueueUrl == null) {
            syncQueueUrl = outbox().sqs().createFifoQueue("calendar-sync-" + syncQueues.incrementAndGet() + ".fifo");
        }
        return syncQueueUrl;
    }

    static SyncSettings settings(int maxFullSyncsInARow) {
        return new SyncSettings(Set.of(OWNER), null, Duration.ofDays(7), Duration.ofDays(1), Duration.ofMinutes(10),
                maxFullSyncsInARow);
    }

    /** The audit events on the queue now (received and deleted), oldest first. */
    List<JsonNode> publishedAudit() {
        return outbox().receiveAll().stream().map(message -> Json.MAPPER.readTree(message.body()))
                .sorted(java.util.Comparator.comparing(event -> event.path("occurred_at").asString()))
                .toList();
    }
}
