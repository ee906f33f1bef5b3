package dev.pipedesk.calendar;

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

/**
 * The calendar function's SnapStart hooks, registered by its real wiring (FunctionInvoker started
 * as Lambda does) and called as Lambda calls them, against a real PostgreSQL, audit queue and
 * the Google Calendar emulator.
 */
@Tag("integration")
class CalendarSnapStartTest {
    private static SnapStartDrill drill;
    private static LocalSqs sqs;
    private static GoogleCalendarEmulator google;
    private static LambdaFunctionHarness function;
    private static SnapStartResource resource;

    @BeforeAll
    static void start() {
        drill = SnapStartDrill.login(TestDatabase.shared(), "snapstart_calendar", null);
        sqs = LocalSqs.startOnFreePort();
        Map<String, String> env = new HashMap<>(drill.env());
        env.putAll(sqs.producerEnvironment(sqs.auditQueueUrl()));
        env.put("CALENDAR_SYNC_QUEUE_URL", sqs.syncQueueUrl());
        google = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
        env.putAll(EmulatedGoogleEnvironment.googleEnvironment(google, "calendar@example.com"));
        function = LambdaFunctionHarness.start(CalendarApplication.class, env);
        resource = SnapStartHooks.registered("calendar");
    }

    @AfterAll
    static void stop() {
        function.close();
        sqs.close();
        google.close();
    }

    /** The e-mail listing of a deal: answered from the database. */
    private static int listEmails() {
        String response = function.invokeFixture("events/list-emails.json");
        return Json.MAPPER.readTree(response).get("statusCode").asInt();
    }

    @Test
    void primesWithoutADatabaseSessionWithoutASendAndWritesNothing() throws Exception {
        drill.assertPrimesWithoutTheDatabaseAndWritesNothing(resource);

        assertThat(sqs.receiveAll(sqs.auditQueueUrl())).isEmpty();
        assertThat(sqs.receiveAll(sqs.syncQueueUrl())).isEmpty();
        assertThat(google.control().calendarIds()).allSatisfy(calendar -> assertThat(google.control().events(calendar)).isEmpty());
        assertThat(resource.primingSteps()).contains("request refused before any read (4xx)", "JDBC driver");
    }

    @Test
    void answersAfterARestoreOnANewConnectionNeverOneFromBeforeTheSnapshot() throws Exception {
        var results = drill.assertRestoresOnNewSessions(resource, CalendarSnapStartTest::listEmails);

        assertThat(results.beforeSnapshot()).isEqualTo(200);
        assertThat(results.afterRestore()).isEqualTo(200);
    }
}
