package dev.pipedesk.bench;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipedesk.local.gateway.LocalApiGateway;
import dev.pipedesk.local.gateway.Route;
import dev.pipedesk.local.gateway.RouteTable;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.FunctionSpec;
import dev.pipedesk.local.lambda.LogSink;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * What the local stack adds to a request besides the handler: the client's latency through the
 * local API gateway minus the handler's own {@code REPORT} duration, for a small and a ~50 KB
 * response. The function is {@link SizedResponseHandler} in the real function host (a child JVM),
 * on an open route (no authorizer), one request at a time on a keep-alive connection.
 *
 * <p>This is the line that shows Nagle's algorithm coming back: without TCP_NODELAY on the
 * gateway's and the function host's {@code HttpServer}, the large response's overhead jumps by
 * about 40 ms (the client's delayed ACK) while the small one's does not.
 */
public record GatewayOverheadBenchmark(Path logDir, PrintStream out) {

    /** Overhead (client latency minus handler duration) per response size. */
    public record Result(int warmup, Latencies small, Latencies large) {
        public int iterations() {
            return small.count();
        }
    }

    public GatewayOverheadBenchmark {
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(out, "out");
    }

    public Result run(int warmup, int iterations) throws Exception {
        FunctionSpec spec = new FunctionSpec("bench-sized", List.of(location(SizedResponseHandler.class), location(Context.class)),
                SizedResponseHandler.class.getName(), Map.of(), Duration.ofSeconds(10), 256, Duration.ofSeconds(60));
        Files.createDirectories(logDir);
        Files.deleteIfExists(logDir.resolve(spec.name() + ".log"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (FunctionProcess function = FunctionProcess.start(spec, LogSink.file(spec.name(), logDir));
             LocalApiGateway gateway = LocalApiGateway.start(0, new RouteTable(List.of(
                             Route.open("GET", "/bench/small", spec.name()), Route.open("GET", "/bench/large", spec.name()))),
                     name -> name.equals(spec.name()) ? function : null, List.of(), null, LogSink.file("bench-gateway", logDir))) {
            measure(http, gateway, "/bench/small", warmup);
            measure(http, gateway, "/bench/large", warmup);
            Map<String, Long> small = measure(http, gateway, "/bench/small", iterations);
            Map<String, Long> large = measure(http, gateway, "/bench/large", iterations);
            Map<String, Long> handler = reports(logDir.resolve(spec.name() + ".log"), small.size() + large.size() + 2 * warmup);
            Result result = new Result(warmup, overhead(small, handler), overhead(large, handler));
            out.printf("  small: overhead p50 %.2f ms, p95 %.2f ms; 50 KB: p50 %.2f ms, p95 %.2f ms%n",
                    result.small().p50(), result.small().p95(), result.large().p50(), result.large().p95());
            return result;
        }
    }

    /** Client latency (ns) per Lambda request id. */
    private static Map<String, Long> measure(HttpClient http, LocalApiGateway gateway, String path, int times)
            throws IOException, InterruptedException {
        Map<String, Long> latencies = new HashMap<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).GET().build();
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long elapsed = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            latencies.put(response.headers().firstValue(SizedResponseHandler.REQUEST_ID_HEADER).orElseThrow(), elapsed);
        }
        return latencies;
    }

    /** Handler duration (ns) per request id from the REPORT lines; they reach the log just after each answer. */
    private static Map<String, Long> reports(Path log, int expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Long> durations = new HashMap<>();
            for (String line : Files.readAllLines(log)) {
                Matcher report = FunctionReports.REPORT.matcher(line);
                if (report.find()) {
                    durations.put(report.group(1), (long) (Double.parseDouble(report.group(2)) * 1_000_000));
                }
            }
            if (durations.size() >= expected || System.nanoTime() > deadline) {
                return durations;
            }
            Thread.sleep(50); // the function host's output reaches the log file through a pump thread
        }
    }

    private static Latencies overhead(Map<String, Long> client, Map<String, Long> handler) {
        return Latencies.of(client.entrySet().stream()
                .mapToLong(e -> e.getValue() - Objects.requireNonNull(handler.get(e.getKey()), "no REPORT line for " + e.getKey()))
                .toArray());
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
