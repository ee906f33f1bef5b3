package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.SnapStartDrill;
import dev.pipedesk.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The timeline's SnapStart hooks, registered by its real wiring (FunctionInvoker started as Lambda
 * does) and called as Lambda calls them, against a real PostgreSQL where the function logs in
 * with the read-only role.
 */
@Tag("integration")
class TimelineSnapStartTest {
    private static SnapStartDrill drill;
    private static LambdaFunctionHarness function;
    private static SnapStartResource resource;

    @BeforeAll
    static void start() {
        drill = SnapStartDrill.login(TestDatabase.shared(), "snapstart_timeline", "pipedesk_timeline_reader");
        function = LambdaFunctionHarness.start(TimelineApplication.class, drill.env());
        resource = SnapStartHooks.registered("timeline");
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static int timelineRequest() {
        String response = function.invokeFixture("events/http-api-request.json");
        return Json.MAPPER.readTree(response).get("statusCode").asInt();
    }

    @Test
    void primesWithoutADatabaseSessionAndWritesNothing() throws Exception {
        drill.assertPrimesWithoutTheDatabaseAndWritesNothing(resource);

        assertThat(resource.primingSteps()).contains("request refused before any read (4xx)", "JDBC driver");
    }

    @Test
    void answersAfterARestoreOnANewConnectionNeverOneFromBeforeTheSnapshot() throws Exception {
        var results = drill.assertRestoresOnNewSessions(resource, TimelineSnapStartTest::timelineRequest);

        assertThat(results.beforeSnapshot()).isEqualTo(200);
        assertThat(results.afterRestore()).isEqualTo(200);
    }
}
