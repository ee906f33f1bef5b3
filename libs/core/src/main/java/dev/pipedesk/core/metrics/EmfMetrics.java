package dev.pipedesk.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link Metrics} of a function: collects what the invocation records and, when the shell calls
 * {@link #publish} at its end, writes it as one CloudWatch embedded-metric-format document, one line
 * of JSON, to standard output (CloudWatch Logs turns it into metrics; locally it is a harmless line
 * of the function's log):
 *
 * <pre>{@code
 * {"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"PipeDesk","Dimensions":[["Stage"]],
 *   "Metrics":[{"Name":"AuditEventsWritten","Unit":"Count"}]}]},"Stage":"prod","AuditEventsWritten":10,
 *   "function":"pipedesk-prod-audit-writer","requestId":"…"}
 * }</pre>
 *
 * Only metrics recorded since the last document are in the next one; nothing recorded, no document.
 * The extra properties ({@code function}, {@code requestId}) are not dimensions: they let a
 * CloudWatch Logs Insights query join a metric to the invocation's log lines. Thread-safe.
 */
public final class EmfMetrics implements Metrics {
    private final String stage;
    private final Consumer<String> out;
    private final Clock clock;
    private final Map<OperatorMetric, Long> recorded = new EnumMap<>(OperatorMetric.class);

    /**
     * @param stage the value of the {@link OperatorMetric#STAGE_DIMENSION} dimension
     * @param out   where each document goes, one line each
     */
    public EmfMetrics(String stage, Consumer<String> out, Clock clock) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A function's metrics: the stage from {@link MetricsSettings}, documents to standard output. */
    public static EmfMetrics fromEnv(Env env) {
        return new EmfMetrics(MetricsSettings.fromEnv(env).stage(), line -> System.out.println(line), Clock.systemUTC());
    }

    @Override
    public synchronized void count(OperatorMetric metric, long value) {
        recorded.merge(Objects.requireNonNull(metric, "metric"), value, Long::sum);
    }

    @Override
    public synchronized void gauge(OperatorMetric metric, long value) {
        recorded.put(Objects.requireNonNull(metric, "metric"), value);
    }

    /** What was recorded since the last document (a copy). */
    public synchronized Map<OperatorMetric, Long> recorded() {
        return Collections.unmodifiableMap(new EnumMap<>(recorded));
    }

    /**
     * Writes what was recorded since the last document as one document and starts over.
     *
     * @param properties extra top-level members (not dimensions), e.g. {@code function} and
     *                   {@code requestId}; null values are left out
     * @return the document written, or empty when nothing was recorded
     */
    public Optional<String> publish(Map<String, String> properties) {
        Map<OperatorMetric, Long> values;
        synchronized (this) {
            if (recorded.isEmpty()) {
                return Optional.empty();
            }
            values = new EnumMap<>(recorded);
            recorded.clear();
        }
        String document = document(values, properties);
        out.accept(document);
        return Optional.of(document);
    }

    private String document(Map<OperatorMetric, Long> values, Map<String, String> properties) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("_aws", new Metadata(clock.millis(), List.of(new Directive(OperatorMetric.NAMESPACE,
                List.of(List.of(OperatorMetric.STAGE_DIMENSION)),
                values.keySet().stream().map(metric -> new Definition(metric.metricName(), metric.unit())).toList()))));
        root.put(OperatorMetric.STAGE_DIMENSION, stage);
        values.forEach((metric, value) -> root.put(metric.metricName(), value));
        properties.forEach((name, value) -> {
            if (value != null && !root.containsKey(name)) {
                root.put(name, value);
            }
        });
        return Json.write(root);
    }

    /** The document's {@code _aws} member. */
    private record Metadata(@JsonProperty("Timestamp") long timestamp,
                            @JsonProperty("CloudWatchMetrics") List<Directive> cloudWatchMetrics) {
    }

    private record Directive(@JsonProperty("Namespace") String namespace,
                             @JsonProperty("Dimensions") List<List<String>> dimensions,
                             @JsonProperty("Metrics") List<Definition> metrics) {
    }

    private record Definition(@JsonProperty("Name") String name, @JsonProperty("Unit") String unit) {
    }
}
