package dev.pipedesk.calendarsync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sync worker driven as Lambda drives it (FunctionInvoker with the FIFO batch of
 * {@code events/sqs-fifo-event.json}), on a real PostgreSQL, ElasticMQ (the audit queue) and the
 * Google Calendar emulator.
 */
@Tag("integration")
class SyncWorkerFunctionTest {
    @RegisterExtension
    static final OutboxTestEnvironment OUTBOX = new OutboxTestEnvironment();
    private static final String SALES = "sales@pipedesk.example";
    private static final String CEO_OFFICE = "ceo-office@pipedesk.example";

    private static GoogleCalendarEmulator google;
    private static LambdaFunctionHarness function;

    @BeforeAll
    static void start() {
        google = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
    }

    @AfterAll
    static void stop() {
        if (function != null) {
            function.close();
        }
        google.close();
    }

    private static LambdaFunctionHarness function() {
        if (function == null) {
            Map<String, String> env = new HashMap<>(OUTBOX.database().env("postgres", "postgres"));
            env.putAll(OUTBOX.producerEnvironment());
            env.put("GOOGLE_SERVICE_ACCOUNT_JSON", google.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"));
            env.put("GOOGLE_IMPERSONATE_USER", SALES);
            env.put("GOOGLE_CALENDAR_ROOT_URL", google.rootUrl().toString());
            env.put("GOOGLE_SYNC_CALENDARS", SALES + "," + CEO_OFFICE);
            env.put("GOOGLE_CALENDARS", SALES);
            env.put("GOOGLE_DEFAULT_CALENDAR", SALES);
            function = LambdaFunctionHarness.start(CalendarSyncApplication.class, env);
        }
        return function;
    }

    @Test
    void aBatchFromTheSyncQueueMirrorsEachCalendarsEventsAndReportsNoFailure() throws IOException {
        OUTBOX.database().execute("delete from calendar_sync_state", "delete from calendar_events");
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("summary", "Pipeline review");
        event.putObject("start").put("dateTime", "2031-06-02T15:00:00Z");
        event.putObject("end").put("dateTime", "2031-06-02T16:00:00Z");
        String googleId = google.control().insertAsUser(SALES, "colleague@example.com", event).path("id").asString();

        JsonNode response = Json.MAPPER.readTree(function().invoke(fixture("events/sqs-fifo-event.json")));

        assertThat(response.path("batchItemFailures").isEmpty()).as(response.toString()).isTrue();
        assertThat(new CalendarEventRepository(OUTBOX.dataSource()).findByIdOrGoogleId(googleId))
                .hasValueSatisfying(row -> {
                    assertThat(row.summary()).isEqualTo("Pipeline review");
                    assertThat(row.startTime()).isEqualTo(Instant.parse("2031-06-02T15:00:00Z"));
                    assertThat(row.createdBy()).isEqualTo("system:google-sync");
                });
        SyncStateRepository states = new SyncStateRepository(OUTBOX.dataSource());
        assertThat(states.find(SALES).orElseThrow().syncToken()).isNotNull();
        assertThat(states.find(CEO_OFFICE).orElseThrow().syncToken()).isNotNull();
    }

    private static String fixture(String resource) throws IOException {
        try (InputStream in = SyncWorkerFunctionTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
