package dev.pipedesk.local.lambda;

import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances on demand, as Lambda scales a function: an invocation that holds one instance does not
 * block the next, which gets an instance of its own (with its own cold start), within the
 * function's and the stack's limits. The held invocation is a latch across JVMs: the echo handler
 * connects to the test's socket and answers once the test closes it.
 */
@Tag("integration")
class FunctionConcurrencyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path logs;

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private static JsonNode described(String output) {
        return Json.MAPPER.readTree(Json.MAPPER.readTree(output).get("body").asString());
    }

    /** A held invocation: running inside the handler until {@link #release()}. */
    private final class Hold implements AutoCloseable {
        private final ServerSocket latch = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final CompletableFuture<String> answer;
        private Socket inside;

        Hold(FunctionProcess function) throws IOException {
            answer = CompletableFuture.supplyAsync(() -> invoke(function,
                    "{\"action\":\"hold\",\"holdPort\":" + latch.getLocalPort() + "}"), callers);
            inside = latch.accept(); // the handler is now running
        }

        String release() throws Exception {
            inside.close();
            return answer.get();
        }

        @Override
        public void close() throws IOException {
            inside.close();
            latch.close();
        }
    }

    private static String invoke(FunctionProcess function, String event) {
        try {
            return function.invoke(event);
        } catch (FunctionInvocationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHeldInvocationDoesNotBlockTheNextWhichColdStartsASecondInstance() throws Exception {
        try (FunctionProcess echo = FunctionProcess.start(TestFunctions.echo("echo", Duration.ofSeconds(30)),
                LogSink.file("echo", logs), 2, InstanceBudget.of(8));
             Hold slow = new Hold(echo)) {
            long heldPid = echo.pid();

            CompletableFuture<String> quick = CompletableFuture.supplyAsync(() -> invoke(echo, "{}"), callers);
            await().atMost(PATIENCE).until(quick::isDone);

            JsonNode served = described(quick.get());
            assertThat(served.get("pid").asLong()).isNotEqualTo(heldPid);
            assertThat(served.get("invocations").asInt()).isEqualTo(1);
            assertThat(echo.instances()).isEqualTo(2);
            assertThat(described(slow.release()).get("pid").asLong()).isEqualTo(heldPid);
            // Each instance reports its own cold start, once.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(Files.readString(logs.resolve("echo.log")))
                    .containsOnlyOnce("instance 1 ready: cold start")
                    .containsOnlyOnce("instance 2 ready: cold start"));
            assertThat(Files.readAllLines(logs.resolve("echo.log")).stream()
                    .filter(line -> line.startsWith("REPORT") && line.contains("Init Duration"))).hasSize(2);
        }
    }

    @Test
    void warmInstancesAreReusedBeforeAnotherStarts() throws Exception {
        try (FunctionProcess echo = FunctionProcess.start(TestFunctions.echo("echo", Duration.ofSeconds(30)),
                LogSink.file("echo", logs), 2, InstanceBudget.of(8))) {
            long first = described(echo.invoke("{}")).get("pid").asLong();
            long second = described(echo.invoke("{}")).get("pid").asLong();

            assertThat(second).isEqualTo(first);
            assertThat(echo.instances()).isEqualTo(1);
        }
    }

    @Test
    void waitsForAFreeInstanceWhenTheStacksCapIsReached() throws Exception {
        InstanceBudget budget = InstanceBudget.of(1);
        try (FunctionProcess echo = FunctionProcess.start(TestFunctions.echo("echo", Duration.ofSeconds(30)),
                LogSink.file("echo", logs), 2, budget)) {
            Hold slow = new Hold(echo);
            long heldPid = echo.pid();
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> invoke(echo, "{}"), callers);

            slow.release();
            slow.close();

            assertThat(described(waiting.get()).get("pid").asLong()).isEqualTo(heldPid);
            assertThat(echo.instances()).isEqualTo(1);
            assertThat(budget.running()).isEqualTo(1);
        }
        assertThat(budget.running()).isZero();
    }

    @Test
    void runsTheChildJvmWithTcpNoDelayAndAHeapWithinTheLocalCap() throws Exception {
        FunctionSpec large = TestFunctions.echo("large", Duration.ofSeconds(30));
        large = new FunctionSpec(large.name(), large.classpath(), large.handlerClass(), large.environment(),
                large.timeout(), 3008, large.startTimeout());
        try (FunctionProcess echo = FunctionProcess.start(large, LogSink.file("large", logs))) {
            String[] arguments = ProcessHandle.of(echo.pid()).orElseThrow().info().arguments().orElseThrow();

            assertThat(arguments).contains("-Dsun.net.httpserver.nodelay=true",
                    "-Xmx" + FunctionSpec.MAX_LOCAL_HEAP_MB + "m");
            assertThat(described(echo.invoke("{}")).get("memoryMb").asInt()).isEqualTo(3008);
        }
    }
}
