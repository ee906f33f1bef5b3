package dev.pipedesk.renewal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.core.Json;
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
 * event {@code events/scheduled-event.json}), relaying from a real PostgreSQL to a real SQS
 * (ElasticMQ).
 */
@Tag("integration")
class ChannelRenewalFunctionTest {
    private static final String QUEUE = "pipedesk-audit";
    private static final String SCHEDULED_EVENT =
            LambdaEventJson.write(EventLoader.loadScheduledEvent("events/scheduled-event.json"));

    private static TestDatabase database;
    private static LocalSqs sqs;
    private static String queueUrl;
    private static LambdaFunctionHarness function;

    @BeforeAll
    static void start() {
        database = TestDatabase.shared();
        sqs = LocalSqs.startOnFreePort();
        queueUrl = sqs.auditQueueUrl();
        Map<String, String> env = new HashMap<>(database.env("postgres", "postgres"));
        env.putAll(sqs.producerEnvironment(queueUrl));
        env.put("AUDIT_RELAY_BATCH_SIZE", "10");
        function = LambdaFunctionHarness.start(ChannelRenewalApplication.class, env);
    }

    @AfterAll
    static void stop() {
        function.close();
        sqs.close();
    }

    @BeforeEach
    void emptyOutboxAndQueue() {
        database.execute("delete from audit_outbox");
        sqs.resetQueues();
    }

    private static JsonNode relaySummary() {
        JsonNode summary = Json.MAPPER.readTree(function.invoke(SCHEDULED_EVENT));
        assertThat(summary.propertyNames()).containsExactly("jobs");
        assertThat(summary.get("jobs").propertyNames()).containsExactly("outbox_relay");
        return summary.get("jobs").get("outbox_relay");
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
