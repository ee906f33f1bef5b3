package dev.pipedesk.renewal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The scheduled function driven as Lambda does (FunctionInvoker with the EventBridge scheduled
 * event {@code events/scheduled-event.json}): channel renewal and the backstop on a real
 * PostgreSQL and FIFO sync queue, then the relay from that PostgreSQL to a real SQS (ElasticMQ).
 * Google is the emulator's address; no webhook address is configured, so no channel is opened
 * (opening channels is {@code ChannelManagerTest}'s, in libs/calendar-sync).
 */
@Tag("integration")
class ChannelRenewalFunctionTest {
    private static final String QUEUE = "pipedesk-audit";
    private static final String SYNCED_CALENDAR = "team@example.com";
    private static final String SCHEDULED_EVENT =
            LambdaEventJson.write(EventLoader.loadScheduledEvent("events/scheduled-event.json"));

    private static TestDatabase database;
    private static LocalSqs sqs;
    private static String queueUrl;
    private static String syncQueueUrl;
    private static GoogleCalendarEmulator google;
    private static LambdaFunctionHarness function;

    @BeforeAll
    static void start() {
        database = TestDatabase.shared();
        sqs = LocalSqs.startOnFreePort();
        queueUrl = sqs.auditQueueUrl();
        syncQueueUrl = sqs.syncQueueUrl();
        google = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
        Map<String, String> env = new HashMap<>(database.env("postgres", "postgres"));
        env.putAll(sqs.producerEnvironment(queueUrl));
        env.put("AUDIT_RELAY_BATCH_SIZE", "10");
        env.put("GOOGLE_SERVICE_ACCOUNT_JSON", google.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"));
        env.put("GOOGLE_CALENDAR_ROOT_URL", google.rootUrl().toString());
        env.put("GOOGLE_SYNC_CALENDARS", SYNCED_CALENDAR);
        env.put("CALENDAR_SYNC_QUEUE_URL", syncQueueUrl);
        function = LambdaFunctionHarness.start(ChannelRenewalApplication.class, env);
    }

    @AfterAll
    static void stop() {
        function.close();
        google.close();
        sqs.close();
    }

    /** The synced calendar was synced just now: no backstop sync is due (the FIFO queue would drop a repeat anyway). */
    @BeforeEach
    void emptyOutboxAndQueuesAndARecentSync() {
        database.execute("delete from audit_outbox", "delete from calendar_watch_channels",
                "delete from calendar_sync_state",
                "insert into calendar_sync_state (calendar_id, sync_token, last_sync_at) values ('"
                        + SYNCED_CALENDAR + "', 'a-token', now())");
        sqs.resetQueues();
        sqs.receiveAll(syncQueueUrl);
    }

    /** Runs the function; returns the summary of each job, checking that renewal ran before the relay. */
    private static JsonNode run() {
        JsonNode summary = Json.MAPPER.readTree(function.invoke(SCHEDULED_EVENT));
        assertThat(summary.propertyNames()).containsExactly("jobs");
        assertThat(summary.get("jobs").propertyNames()).containsExactly("channel_renewal", "outbox_relay");
        return summary.get("jobs");
    }

    private static JsonNode relaySummary() {
        return run().get("outbox_relay");
    }

    private static JsonNode expected(int sent, int failed, int remaining, int passes, String stopped) {
        return Json.MAPPER.valueToTree(Map.of("sent", sent, "failed", failed, "remaining", remaining, "passes", passes,
                "stopped", stopped));
    }

    private static List<String> receivedEventIds() {
        return sqs.receiveAll(queueUrl).stream().map(m -> Json.MAPPER.readTree(m.body()).get("event_id").asString()).toList();
    }

    @Test
    void relaysEverythingLeftInTheOutboxAndSaysSo() {
        List<String> ids = OutboxFixture.leftInOutbox(database.dataSource(), 25);

        assertThat(relaySummary()).isEqualTo(expected(25, 0, 0, 3, "drained"));

        assertThat(receivedEventIds()).hasSize(25).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(database.count("select count(*) from audit_outbox")).isZero();
    }

    @Test
    void aQuietCalendarGetsABackstopSyncRequestAndTheSummarySaysWhatHappened() {
        database.execute("update calendar_sync_state set last_sync_at = now() - interval '11 minutes'");

        JsonNode renewal = run().get("channel_renewal");

        assertThat(renewal.get("webhook_address").isNull()).isTrue();
        assertThat(renewal.get("calendars")).hasSize(1);
        JsonNode calendar = renewal.get("calendars").get(0);
        assertThat(calendar.get("calendar_id").asString()).isEqualTo(SYNCED_CALENDAR);
        assertThat(calendar.get("channel").asString()).isEqualTo("no_webhook");
        assertThat(calendar.get("sync_requested").asString()).isEqualTo("backstop");
        assertThat(calendar.get("state").asString()).isEqualTo("syncing");
        assertThat(sqs.receiveAll(syncQueueUrl)).singleElement().satisfies(message -> {
            JsonNode request = Json.MAPPER.readTree(message.body());
            assertThat(request.get("calendar_id").asString()).isEqualTo(SYNCED_CALENDAR);
            assertThat(request.get("reason").asString()).isEqualTo("backstop");
        });
    }

    @Test
    void aRecentlySyncedCalendarGetsNoSyncRequest() {
        JsonNode calendar = run().get("channel_renewal").get("calendars").get(0);

        assertThat(calendar.get("sync_requested").isNull()).isTrue();
        assertThat(sqs.receiveAll(syncQueueUrl)).isEmpty();
    }

    @Test
    void withNothingDueItSendsNothing() {
        assertThat(relaySummary()).isEqualTo(expected(0, 0, 0, 1, "drained"));
    }

    @Test
    void whileSqsIsDownTheEventsStayAndTheNextRunAfterTheBackoffSendsThem() {
        List<String> ids = OutboxFixture.leftInOutbox(database.dataSource(), 4);
        sqs.stop();
        try {
            assertThat(relaySummary()).isEqualTo(expected(0, 4, 0, 1, "queue_failing"));
        } finally {
            sqs.start();
        }
        assertThat(database.count("select count(*) from audit_outbox where attempts = 1 and last_error is not null"))
                .isEqualTo(4);

        database.execute("update audit_outbox set next_attempt_at = now() - interval '1 second'");  // the backoff has passed
        assertThat(relaySummary()).isEqualTo(expected(4, 0, 0, 1, "drained"));

        assertThat(receivedEventIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(database.count("select count(*) from audit_outbox")).isZero();
    }
}
