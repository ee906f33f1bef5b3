package dev.pipedesk.renewal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.testing.EmulatedGoogleEnvironment;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.SnapStartDrill;
import dev.pipedesk.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The scheduled function's SnapStart hooks, registered by its real wiring (FunctionInvoker started
 * as Lambda does) and called as Lambda calls them, against a real PostgreSQL, queues and the Google
 * Calendar emulator.
 */
@Tag("integration")
class ChannelRenewalSnapStartTest {
    private static SnapStartDrill drill;
    private static LocalSqs sqs;
    private static GoogleCalendarEmulator google;
    private static LambdaFunctionHarness function;
    private static SnapStartResource resource;

    @BeforeAll
    static void start() {
        drill = SnapStartDrill.login(TestDatabase.shared(), "snapstart_channel_renewal", null);
        sqs = LocalSqs.startOnFreePort();
        google = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
        Map<String, String> env = new HashMap<>(drill.env());
        env.putAll(sqs.producerEnvironment(sqs.auditQueueUrl()));
        env.put("CALENDAR_SYNC_QUEUE_URL", sqs.syncQueueUrl());
        env.putAll(EmulatedGoogleEnvironment.googleEnvironment(google, null));
        function = LambdaFunctionHarness.start(ChannelRenewalApplication.class, env);
        resource = SnapStartHooks.registered("channel-renewal");
    }

    @AfterAll
    static void stop() {
        function.close();
        google.close();
        sqs.close();
    }

    /** A scheduled run: the outbox relay reads the outbox from the database. */
    private static JsonNode scheduledRun() {
        return Json.MAPPER.readTree(function.invokeFixture("events/scheduled-event.json"));
    }

    @Test
    void primesWithoutADatabaseSessionWithoutASendAndWritesNothing() throws Exception {
        sqs.receiveAll(sqs.auditQueueUrl()); // what a scheduled run of another test relayed (sent before it returned)
        sqs.receiveAll(sqs.syncQueueUrl());
        drill.assertPrimesWithoutTheDatabaseAndWritesNothing(resource);

        assertThat(sqs.receiveAll(sqs.auditQueueUrl())).isEmpty();
        assertThat(sqs.receiveAll(sqs.syncQueueUrl())).isEmpty();
        assertThat(google.control().channels()).isEmpty();
    }

    @Test
    void runsAfterARestoreOnANewConnectionNeverOneFromBeforeTheSnapshot() throws Exception {
        var results = drill.assertRestoresOnNewSessions(resource, () -> scheduledRun().get("jobs").has("outbox_relay"));

        assertThat(results.beforeSnapshot()).isTrue();
        assertThat(results.afterRestore()).isTrue();
    }
}
