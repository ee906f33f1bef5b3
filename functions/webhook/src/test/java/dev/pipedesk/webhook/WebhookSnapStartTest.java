package dev.pipedesk.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.SnapStartDrill;
import dev.pipedesk.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The webhook's SnapStart hooks, registered by its real wiring (FunctionInvoker started as Lambda
 * does) and called as Lambda calls them, against a real PostgreSQL and sync queue.
 */
@Tag("integration")
class WebhookSnapStartTest {
    private static SnapStartDrill drill;
    private static LocalSqs sqs;
    private static String queueUrl;
    private static LambdaFunctionHarness function;
    private static SnapStartResource resource;

    @BeforeAll
    static void start() {
        drill = SnapStartDrill.login(TestDatabase.shared(), "snapstart_webhook", null);
        sqs = LocalSqs.startOnFreePort();
        queueUrl = sqs.createFifoQueue("webhook-snapstart-test.fifo");
        Map<String, String> env = new HashMap<>(drill.env());
        env.putAll(sqs.producerEnvironment(queueUrl));
        env.remove("AUDIT_QUEUE_URL");
        env.put("CALENDAR_SYNC_QUEUE_URL", queueUrl);
        function = LambdaFunctionHarness.start(WebhookApplication.class, env);
        resource = SnapStartHooks.registered("webhook");
    }

    @AfterAll
    static void stop() {
        function.close();
        sqs.close();
    }

    /** A well-formed notification of a channel nobody opened: answered after a look-up in the database. */
    private static int unknownChannelNotification() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/google-calendar-notification.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("x-goog-channel-id", "snapstart-unknown-channel");
        event.setHeaders(headers);
        return Json.MAPPER.readTree(function.invoke(LambdaEventJson.write(event))).get("statusCode").asInt();
    }

    @Test
    void primesWithoutADatabaseSessionWithoutASendAndWritesNothing() throws Exception {
        drill.assertPrimesWithoutTheDatabaseAndWritesNothing(resource);

        assertThat(sqs.receiveAll(queueUrl)).isEmpty();
    }

    @Test
    void answersAfterARestoreOnANewConnectionNeverOneFromBeforeTheSnapshot() throws Exception {
        var answers = drill.assertRestoresOnNewSessions(resource, WebhookSnapStartTest::unknownChannelNotification);

        assertThat(answers.afterRestore()).isEqualTo(answers.beforeSnapshot());
    }
}
