package dev.pipedesk.bench;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.emulator.dynamodb.DynamoDbEmulator;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.state.RateLimitTable;
import dev.pipedesk.state.RateLimiter;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The rate limiter's cost per request: the HTTP API shell ({@link ApiFunction#handle}) with a
 * handler that does nothing, once without limiting ({@link RateLimiter#OFF}) and once with the
 * real {@link DynamoDbRateLimiter} (one conditional {@code UpdateItem} through the AWS SDK with
 * the production client settings) against the DynamoDB emulator in this JVM on 127.0.0.1. The
 * limit is never reached: every request is counted and served. With and without alternate, one
 * of each per iteration in alternating order.
 *
 * <p>What it does not show: DynamoDB's own latency in AWS (a network round trip in the region),
 * which adds to the "with" numbers there.
 */
public final class RateLimitOverheadBenchmark {
    private static final String TABLE = "bench-rate-limits";

    private final PrintStream out;

    public RateLimitOverheadBenchmark(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * @param warmup     warm-up iterations (each one request with and one without)
     * @param iterations measured iterations
     * @param with       request latency with the DynamoDB limiter (ns samples)
     * @param without    request latency with limiting off
     * @param refused    requests the limiter refused (0: the limit was never reached)
     */
    public record Result(int warmup, int iterations, Latencies with, Latencies without, int refused) {
    }

    public Result run(int warmup, int iterations) throws Exception {
        try (DynamoDbEmulator dynamoDb = DynamoDbEmulator.start(0)) {
            RateLimitSettings settings = new RateLimitSettings(TABLE, Integer.MAX_VALUE, 0, DynamoDbEmulator.REGION,
                    dynamoDb.endpoint());
            try (DynamoDbClient setup = DynamoDbRateLimiter.client(settings, Duration.ofSeconds(10),
                    DynamoDbRateLimiter.dummyCredentials());
                 DynamoDbClient client = DynamoDbRateLimiter.client(settings,
                         Duration.ofMillis(DynamoDbRateLimiter.CALL_TIMEOUT_MILLIS), DynamoDbRateLimiter.dummyCredentials())) {
                RateLimitTable.create(setup, TABLE);
                ApiHandler handler = (request, caller) -> HttpResponse.ok(Map.of("ok", true));
                ApiFunction with = new ApiFunction(RoutePolicy.standard(), handler,
                        new DynamoDbRateLimiter(client, settings, Clock.systemUTC()));
                ApiFunction without = new ApiFunction(RoutePolicy.standard(), handler, RateLimiter.OFF);
                HttpRequest request = new HttpRequest(ApiRoute.LIST_EVENTS.routeKey(), "GET", "/api/calendar/events",
                        Map.of(), Map.of(), Map.of(), null, "bench", "127.0.0.1", "bench",
                        new Principal("bench-user", "bench@pipedesk.local", Role.SALES).toAuthorizerContext());
                long[] withSamples = new long[iterations];
                long[] withoutSamples = new long[iterations];
                int refused = 0;
                for (int i = 0; i < warmup + iterations; i++) {
                    boolean withFirst = i % 2 == 0;
                    long a = time(withFirst ? with : without, request);
                    long b = time(withFirst ? without : with, request);
                    if (i >= warmup) {
                        withSamples[i - warmup] = withFirst ? a : b;
                        withoutSamples[i - warmup] = withFirst ? b : a;
                    }
                    if (with.handle(request).status() == 429) {
                        refused++;
                    }
                }
                Result result = new Result(warmup, iterations, Latencies.of(withSamples), Latencies.of(withoutSamples), refused);
                out.printf("  with limiter p50 %.2f ms p95 %.2f ms; without p50 %.2f ms p95 %.2f ms%n",
                        result.with().p50(), result.with().p95(), result.without().p50(), result.without().p95());
                return result;
            }
        }
    }

    private static long time(ApiFunction function, HttpRequest request) {
        long start = System.nanoTime();
        HttpResponse response = function.handle(request);
        long elapsed = System.nanoTime() - start;
        if (response.status() != 200 && response.status() != 429) {
            throw new IllegalStateException("The shell answered " + response.status());
        }
        return elapsed;
    }
}
