package dev.pipedesk.local.lambda;

import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The child-JVM Lambda host, driven through {@link FunctionProcess} with a tiny test handler. */
@Tag("e2e")
class FunctionProcessTest {
    @RegisterExtension
    static final RunningFunction running = new RunningFunction(TestFunctions.echo("echo", Duration.ofSeconds(2)));
    private final FunctionProcess echo = running.process();
    private final Path logs = running.folder();

    private static JsonNode described(String output) {
        return Json.MAPPER.readTree(Json.MAPPER.readTree(output).get("body").asString());
    }

    @Test
    void passesTheEventAndALambdaContextToTheHandlerInItsOwnJvm() throws Exception {
        JsonNode seen = described(echo.invoke("{\"hello\":\"world\"}"));

        assertThat(seen.at("/event/hello").asString()).isEqualTo("world");
        assertThat(seen.get("functionName").asString()).isEqualTo("echo");
        assertThat(seen.get("requestId").asString()).isNotBlank();
        assertThat(seen.get("remainingMillis").asInt()).isPositive().isLessThanOrEqualTo(2_000);
        assertThat(seen.get("memoryMb").asInt()).isEqualTo(256);
        assertThat(seen.get("greeting").asString()).isEqualTo("hello from echo");
        assertThat(seen.get("mainClass").asString()).isEqualTo("test.Main");
        assertThat(seen.get("pid").asLong()).isEqualTo(echo.pid()).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void keepsOneWarmInstanceAcrossInvocations() throws Exception {
        JsonNode first = described(echo.invoke("{}"));
        JsonNode second = described(echo.invoke("{}"));

        assertThat(second.get("instance").asLong()).isEqualTo(first.get("instance").asLong());
        assertThat(second.get("invocations").asInt()).isEqualTo(first.get("invocations").asInt() + 1);
        assertThat(second.get("requestId").asString()).isNotEqualTo(first.get("requestId").asString());
    }

    @Test
    void reportsAnUnhandledExceptionAsLambdaDoes() {
        assertThatThrownBy(() -> echo.invoke("{\"action\":\"throw\"}"))
                .hasMessage("function echo failed with an unhandled java.lang.IllegalStateException")
                .isInstanceOfSatisfying(FunctionInvocationException.Unhandled.class, e -> {
                    JsonNode error = Json.MAPPER.readTree(e.errorDocument());
                    assertThat(error.get("errorType").asString()).isEqualTo("java.lang.IllegalStateException");
                    assertThat(error.get("errorMessage").asString()).isEqualTo("echo was asked to fail");
                });
        assertThat(echo.isUp()).isTrue();
    }

    @Test
    void writesTheFunctionsOutputAndLambdaReportLinesToItsLog() throws Exception {
        String requestId = described(echo.invoke("{}")).get("requestId").asString();

        Path log = running.log();
        // The instance's output reaches the log through a pump thread: it lands shortly after the answer.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(log))
                .contains("START RequestId: " + requestId)
                .contains("echo handling " + requestId)
                .contains("REPORT RequestId: " + requestId));
    }

    @Test
    void stopsAnInvocationPastTheTimeoutAndStartsAFreshInstanceForTheNext() throws Exception {
        try (FunctionProcess slow = FunctionProcess.start(TestFunctions.echo("slow", Duration.ofSeconds(2)),
                LogSink.file("slow", logs))) {
            long firstPid = slow.pid();

            assertThatThrownBy(() -> slow.invoke("{\"action\":\"sleep\"}"))
                    .isInstanceOf(FunctionInvocationException.Timeout.class);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            JsonNode next = described(slow.invoke("{}"));
            assertThat(next.get("pid").asLong()).isNotEqualTo(firstPid);
            assertThat(next.get("invocations").asInt()).isEqualTo(1);
        }
    }

    @Test
    void reportsADyingInstanceAndRecoversOnTheNextInvocation() throws Exception {
        try (FunctionProcess fragile = FunctionProcess.start(TestFunctions.echo("fragile", Duration.ofSeconds(5)),
                LogSink.file("fragile", logs))) {
            assertThatThrownBy(() -> fragile.invoke("{\"action\":\"exit\"}"))
                    .isInstanceOf(FunctionInvocationException.Unavailable.class)
                    .hasMessageContaining("exited with code 3");

            assertThat(described(fragile.invoke("{}")).get("invocations").asInt()).isEqualTo(1);
        }
    }

    @Test
    void closeStopsTheChildJvm() throws Exception {
        FunctionProcess shortLived = FunctionProcess.start(TestFunctions.echo("short", Duration.ofSeconds(5)),
                LogSink.file("short", logs));
        long pid = shortLived.pid();

        shortLived.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(shortLived.isUp()).isFalse();
        assertThatThrownBy(() -> shortLived.invoke("{}")).isInstanceOf(FunctionInvocationException.Unavailable.class);
    }

    @Test
    void failsToStartWithTheReasonWhenTheHandlerCannotBeConstructed() {
        FunctionSpec broken = TestFunctions.spec("broken", EchoHandler.class, Map.of());
        FunctionSpec missingHandler = new FunctionSpec("broken", broken.classpath(), "com.example.NoSuchHandler",
                Map.of(), broken.timeout(), broken.memoryMb(), broken.startTimeout());

        assertThatThrownBy(() -> FunctionProcess.start(missingHandler, LogSink.file("broken", logs)))
                .isInstanceOf(FunctionInvocationException.Unavailable.class)
                .hasMessageContaining("could not start")
                .hasMessageContaining("com.example.NoSuchHandler");
    }
}
