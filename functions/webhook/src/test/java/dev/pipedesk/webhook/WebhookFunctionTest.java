package dev.pipedesk.webhook;

import dev.pipedesk.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.sync.NotificationGate;
import dev.pipedesk.sync.SyncRequest;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.sync.WatchChannel;
import dev.pipedesk.sync.WatchChannelRepository;
import dev.pipedesk.testing.ConsoleCapture;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;

/**
 * The webhook driven as Lambda does (FunctionInvoker with the payload 2.0 event of
 * {@code events/google-calendar-notification.json}), on a real PostgreSQL and a real FIFO queue
 * in ElasticMQ. Everything the function prints is captured: no token sent may appear in it.
 */
@Tag("integration")
class WebhookFunctionTest {
    private static final String CALENDAR = "sales@pipedesk.example";
    private static final String CHANNEL = "5f2b8c1e-3d4a-4b6f-9a7e-0c1d2e3f4a5b";
    private static final String RESOURCE = "ret08u3rv24htgh289g";

    private static ConsoleCapture console;
    private static TestDatabase database;
    private static LocalSqs sqs;
    private static String queueUrl;
    private static LambdaFunctionHarness function;

    /** A channel token nobody could guess, new for each test. */
    private final String token = "tok-" + UUID.randomUUID() + "-" + UUID.randomUUID();
    private LogCapture securityLog;

    @BeforeAll
    static void startTheFunctionLikeLambdaDoes() {
        console = ConsoleCapture.install();
        database = TestDatabase.shared();
        sqs = LocalSqs.startOnFreePort();
        queueUrl = sqs.createFifoQueue("webhook-test.fifo");
        Map<String, String> env = new HashMap<>(database.env("postgres", "postgres"));
        env.putAll(sqs.producerEnvironment(queueUrl));
        env.remove("AUDIT_QUEUE_URL");
        env.put("CALENDAR_SYNC_QUEUE_URL", queueUrl);
        function = LambdaFunctionHarness.start(WebhookApplication.class, env);
    }

    @AfterAll
    static void stop() {
        console.close();
        function.close();
        sqs.close();
    }

    @BeforeEach
    void oneLiveChannel() {
        database.execute("delete from calendar_watch_channels", "delete from calendar_sync_state");
        sqs.client().purgeQueue(r -> r.queueUrl(queueUrl));
        new SyncStateRepository(database.dataSource()).ensure(CALENDAR);
        Instant now = Instant.now();
        WatchChannel channel = new WatchChannel(CHANNEL, CALENDAR, RESOURCE, Hashes.sha256Hex(token),
                "https://crm.example/webhooks/google-calendar", now.plus(Duration.ofDays(7)), false, null, null, now, null);
        Transactions.inTransaction(database.dataSource(), connection -> {
            new WatchChannelRepository(database.dataSource()).insert(connection, channel);
            return null;
        });
        securityLog = LogCapture.of(NotificationGate.SECURITY_LOG);
        console.reset();
    }

    @AfterEach
    void removeCapture() {
        securityLog.close();
    }

    /** The fixture with this channel token and message number. */
    private static String notification(String channelToken, long messageNumber) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/google-calendar-notification.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("x-goog-channel-token", channelToken);
        headers.put("x-goog-message-number", Long.toString(messageNumber));
        event.setHeaders(headers);
        return LambdaEventJson.write(event);
    }

    private static JsonNode invoke(String event) {
        return Json.MAPPER.readTree(function.invoke(event));
    }

    private static List<Message> queued() {
        return sqs.receiveAll(queueUrl);
    }

    private static String printed() {
        return console.text();
    }

    @Test
    void aValidNotificationIs200AndPutsOneSyncOfTheCalendarOnTheFifoQueue() {
        JsonNode response = invoke(notification(token, 437_291));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.get("body").asString()))
                .isEqualTo(Json.MAPPER.readTree("{\"result\":\"enqueued\"}"));
        assertThat(queued()).singleElement().satisfies(message -> {
            SyncRequest request = Json.MAPPER.readValue(message.body(), SyncRequest.class);
            assertThat(request.calendarId()).isEqualTo(CALENDAR);
            assertThat(request.reason()).isEqualTo(SyncRequest.Reason.NOTIFICATION);
            assertThat(message.attributesAsStrings()).containsEntry("MessageGroupId", CALENDAR)
                    .containsEntry("MessageDeduplicationId", CHANNEL + ":437291");
        });
        assertThat(printed()).doesNotContain(token);
    }

    @Test
    void aWrongTokenIs403WithTheErrorEnvelopeASecurityLogLineAndNoTokenPrinted() {
        String forged = "tok-" + UUID.randomUUID() + "-" + UUID.randomUUID();

        JsonNode response = invoke(notification(forged, 12));

        assertThat(response.get("statusCode").asInt()).isEqualTo(403);
        assertThat(response.get("headers").get("content-type").asString()).isEqualTo("application/json");
        JsonNode error = Json.MAPPER.readTree(response.get("body").asString()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("forbidden");
        assertThat(error.propertyNames()).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(queued()).isEmpty();
        assertThat(securityLog.messages()).singleElement().asString()
                .contains("channel=" + CHANNEL, "sourceIp=66.102.8.91", "token mismatch");
        String printed = printed();
        assertThat(printed).as("the capture sees the function's log").contains("security: webhook notification refused")
                .doesNotContain(forged).doesNotContain(token);
        assertThat(response.toString()).doesNotContain(forged).doesNotContain(token);
    }

    @Test
    void theSameNotificationDeliveredTwiceIsOneMessageOnTheQueue() {
        assertThat(invoke(notification(token, 99)).get("statusCode").asInt()).isEqualTo(200);
        assertThat(invoke(notification(token, 99)).get("statusCode").asInt()).isEqualTo(200);

        assertThat(queued()).hasSize(1);
    }
}
