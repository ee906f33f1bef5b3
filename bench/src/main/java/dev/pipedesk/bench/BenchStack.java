package dev.pipedesk.bench;

import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Json;
import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.LocalStackOptions;
import dev.pipedesk.localaws.SqsOptions;
import dev.pipedesk.state.RateLimitSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The local stack as the sync benchmarks run it: {@code ./pipedesk local} with every function
 * built and its defaults (2 instances per function, the channel-renewal schedule every 10 s, a
 * 30 s backstop, SQS visibility 30 s), except free ports (SQS and DynamoDB included), logs in
 * {@code bench/target/bench-logs/local-stack/} (the stack's console too: its access log would
 * flood the benchmark's output) and <b>the rate limit off</b> ({@code RATE_LIMIT_USER_PER_MINUTE=0}
 * for calendar and timeline): the visibility benchmark polls far beyond 600 requests a minute.
 */
final class BenchStack implements AutoCloseable {
    /** What the calendar and timeline functions get: no per-user limit (the benchmark polls hard). */
    static final String RATE_LIMIT_OFF = "0";

    private final LocalStack stack;
    private final PrintStream console;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private BenchStack(LocalStack stack, PrintStream console) {
        this.stack = stack;
        this.console = console;
    }

    /** The options: the shipped defaults but free ports, bench logs and the rate limit off. */
    static LocalStackOptions options(Path repoRoot, Path logDir, PrintStream console) {
        Map<String, String> noLimit = Map.of(RateLimitSettings.Variable.RATE_LIMIT_USER_PER_MINUTE.name(), RATE_LIMIT_OFF);
        return LocalStackOptions.defaults()
                .withRepoRoot(repoRoot)
                .withGatewayPort(0).withEmulatorPort(0).withDynamoDbPort(0)
                .withSqs(SqsOptions.defaults().withPort(0))
                .withLogDir(logDir)
                .withFunctionEnvironment(LocalFunctions.CALENDAR.name(), noLimit)
                .withFunctionEnvironment(LocalFunctions.TIMELINE.name(), noLimit)
                .withConsole(console);
    }

    static BenchStack start(Path repoRoot, Path logDir, PrintStream out) {
        return start(repoRoot, logDir, out, java.util.function.UnaryOperator.identity());
    }

    /** The stack with {@link #options} changed by {@code adjust} (e.g. an existing database, the rate limit back on). */
    static BenchStack start(Path repoRoot, Path logDir, PrintStream out,
                            java.util.function.UnaryOperator<LocalStackOptions> adjust) {
        try {
            Files.createDirectories(logDir);
            PrintStream console = new PrintStream(Files.newOutputStream(logDir.resolve("console.txt")), true,
                    StandardCharsets.UTF_8);
            long started = System.nanoTime();
            LocalStack stack;
            try {
                stack = LocalStack.start(adjust.apply(options(repoRoot, logDir, console)));
            } catch (RuntimeException e) {
                console.close();
                throw e;
            }
            out.printf("  local stack up in %.1f s (%s; logs in %s)%n", (System.nanoTime() - started) / 1e9,
                    String.join(", ", stack.runningFunctions()), repoRoot.relativize(logDir));
            return new BenchStack(stack, console);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LocalStack stack() {
        return stack;
    }

    String token(Role role, String userId) {
        return stack.token(role, userId);
    }

    /** One API call with a bearer token; the status and the parsed body (null when empty). */
    Answer call(String method, String path, String token, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiBaseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        }
        return send(request.build());
    }

    /** Client-side latencies of timed requests and the function's own {@code REPORT} durations for them. */
    record ApiTimings(Latencies api, Latencies handler) {
    }

    /**
     * {@code count} timed GETs of {@code path} through the local API, one at a time, the tokens
     * taken in turn from {@code firstToken}; each must answer 200. With the {@code function}'s
     * {@code REPORT} durations of exactly those requests.
     */
    ApiTimings timedGets(String function, String name, String path, List<String> tokens, int firstToken, int count) {
        long mark = logLines(function);
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            String token = tokens.get((firstToken + i) % tokens.size());
            long start = System.nanoTime();
            int status = get(path, token);
            samples[i] = System.nanoTime() - start;
            if (status != 200) {
                throw new IllegalStateException(name + " answered " + status + " through the local API");
            }
        }
        List<Long> reports = FunctionReports.awaitDurations(logFile(function), mark, count);
        return new ApiTimings(Latencies.of(samples), Latencies.of(reports.stream().mapToLong(Long::longValue).toArray()));
    }

    /** A GET whose body is read whole but not parsed (for latency samples); its status. */
    int get(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.apiBaseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sends a request on the benchmark's keep-alive client. */
    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text, text == null || text.isBlank() ? null : Json.MAPPER.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An API answer. */
    record Answer(int status, String text, JsonNode json) {
        Answer requireStatus(int expected, String what) {
            if (status != expected) {
                throw new IllegalStateException(what + " answered " + status + " (expected " + expected + "): " + text);
            }
            return this;
        }
    }

    /** Lines in a function's log now: what a run appends comes after them. */
    long logLines(String function) {
        return FunctionReports.lineCount(stack.logFile(function).orElseThrow());
    }

    Path logFile(String function) {
        return stack.logFile(function).orElseThrow();
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            console.close();
        }
    }
}
