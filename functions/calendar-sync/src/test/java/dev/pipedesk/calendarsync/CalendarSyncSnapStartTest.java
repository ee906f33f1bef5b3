package dev.pipedesk.calendarsync;

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
 * The sync worker's SnapStart hooks, registered by its real wiring (FunctionInvoker started as
 * Lambda does) and called as Lambda calls them, against a real PostgreSQL, audit queue and the
 * Google Calendar emulator.
 */
@Tag("integration")
class CalendarSyncSnapStartTest {
    private static final String SALES = "sales@pipedesk.example";

    private static SnapStartDrill drill;
    private static LocalSqs sqs;
    private static GoogleCalendarEmulator google;
    private static LambdaFunctionHarness function;
    private static SnapStartResource resource;

    @BeforeAll
    static void start() {
        TestDatabase database = TestDatabase.shared();
        // No mirrored meeting of another test: the syncs below change nothing, so they send no audit event.
        database.execute("delete from calendar_sync_state", "delete from calendar_events");
        drill = SnapStartDrill.login(database, "snapstart_calendar_sync", null);
        sqs = LocalSqs.startOnFreePort();
        google = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
        Map<String, String> env = new HashMap<>(drill.env());
        env.putAll(sqs.producerEnvironment(sqs.auditQueueUrl()));
        env.putAll(EmulatedGoogleEnvironment.googleEnvironment(google, SALES));
        env.put("GOOGLE_SYNC_CALENDARS", SALES);
        env.put("GOOGLE_CALENDARS", SALES);
        env.put("GOOGLE_DEFAULT_CALENDAR", SALES);
        function = LambdaFunctionHarness.start(CalendarSyncApplication.class, env);
        resource = SnapStartHooks.registered("calendar-sync");
    }

    @AfterAll
    static void stop() {
        function.close();
        google.close();
        sqs.close();
    }

    /** The fixture's batch (a sync of two calendars): synced from the database and the emulator. */
    private static JsonNode syncBatch() {
        return Json.MAPPER.readTree(function.invokeFixture("events/sqs-fifo-event.json"));
    }

    @Test
    void primesWithoutADatabaseSessionWithoutASyncAndWritesNothing() throws Exception {
        drill.assertPrimesWithoutTheDatabaseAndWritesNothing(resource);

        assertThat(sqs.receiveAll(sqs.auditQueueUrl())).isEmpty();
    }

    @Test
    void syncsAfterARestoreOnANewConnectionNeverOneFromBeforeTheSnapshot() throws Exception {
        var results = drill.assertRestoresOnNewSessions(resource, () -> syncBatch().has("batchItemFailures"));

        assertThat(results.beforeSnapshot()).isTrue();
        assertThat(results.afterRestore()).isTrue();
    }
}
