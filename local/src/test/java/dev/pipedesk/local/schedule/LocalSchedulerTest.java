package dev.pipedesk.local.schedule;

import dev.pipedesk.core.Json;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.local.lambda.RunningFunction;
import dev.pipedesk.local.lambda.TestFunctions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.pipedesk.local.testing.JsonAssertions.assertTextsAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The local EventBridge schedule, invoking a test function in its own JVM. */
@Tag("e2e")
class LocalSchedulerTest {
    @RegisterExtension
    static final RunningFunction ticker = new RunningFunction(TestFunctions.echo("ticker", Duration.ofSeconds(5)));

    private static long invocationsLogged() throws Exception {
        return Files.readAllLines(ticker.log()).stream().filter(l -> l.contains("echo handling")).count();
    }

    @Test
    void runNowInvokesEachJobWithAScheduledEvent() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        LocalScheduler.Job job = new LocalScheduler.Job("pipedesk-ticker", ticker.process());
        try (LocalScheduler scheduler = LocalScheduler.start(List.of(job), Duration.ZERO, "us-east-1", "000000000000",
                LogSink.file("scheduler-now", ticker.folder()))) {

            Map<String, String> outputs = scheduler.runNow();

            assertThat(outputs).containsOnlyKeys("ticker");
            JsonNode event = Json.MAPPER.readTree(Json.MAPPER.readTree(outputs.get("ticker")).get("body").asString()).get("event");
            assertThat(event.get("version").asString()).isEqualTo("0");
            assertThat(event.get("id").asString()).isNotBlank();
            assertTextsAt(event,
                    "/detail-type", "Scheduled Event",
                    "/source", "aws.events",
                    "/account", "000000000000",
                    "/region", "us-east-1");
            assertThat(Instant.parse(event.get("time").asString())).isAfter(before);
            assertThat(event.get("resources").get(0).asString()).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/pipedesk-ticker");
            assertThat(event.get("detail").isObject()).isTrue();
            assertThat(event.get("detail").isEmpty()).isTrue();
        }
    }

    @Test
    void firesOnAFixedRateUntilClosed() throws Exception {
        long before = invocationsLogged();
        LocalScheduler.Job job = new LocalScheduler.Job("pipedesk-ticker", ticker.process());
        LocalScheduler scheduler = LocalScheduler.start(List.of(job), Duration.ofMillis(200), "us-east-1", "000000000000",
                LogSink.file("scheduler-rate", ticker.folder()));
        await("three scheduled runs").atMost(Duration.ofSeconds(30)).until(() -> invocationsLogged() >= before + 3);

        scheduler.close();

        long afterClose = invocationsLogged();
        await("no run after close, for three periods").during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> invocationsLogged() == afterClose);
    }

    @Test
    void aFailingJobIsReportedAndLoggedOnce() throws Exception {
        FunctionProcess stopped = FunctionProcess.start(TestFunctions.echo("stopped", Duration.ofSeconds(5)),
                LogSink.file("stopped", ticker.folder()));
        stopped.close();
        try (LocalScheduler scheduler = LocalScheduler.start(List.of(new LocalScheduler.Job("pipedesk-stopped", stopped)),
                Duration.ZERO, "us-east-1", "000000000000", LogSink.file("scheduler-failing", ticker.folder()))) {

            assertThatThrownBy(scheduler::runNow).isInstanceOf(FunctionInvocationException.Unavailable.class);
            assertThatThrownBy(scheduler::runNow).isInstanceOf(FunctionInvocationException.Unavailable.class);

            assertThat(Files.readAllLines(ticker.folder().resolve("scheduler-failing.log")))
                    .filteredOn(l -> l.contains("failed")).hasSize(1);
        }
    }
}
