package dev.pipedesk.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EmfMetricsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final List<String> lines = new ArrayList<>();
    private final EmfMetrics metrics = new EmfMetrics("prod", lines::add, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void writesOneEmbeddedMetricFormatDocumentWithTheRecordedValues() {
        metrics.count(OperatorMetric.AUDIT_EVENTS_WRITTEN, 7);
        metrics.count(OperatorMetric.AUDIT_EVENTS_WRITTEN, 3);
        metrics.count(OperatorMetric.AUDIT_EVENTS_REJECTED, 0);

        metrics.publish(Map.of("function", "audit-writer", "requestId", "req-1"));

        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).doesNotContain("\n");
        JsonNode document = Json.MAPPER.readTree(lines.getFirst());
        JsonNode directive = document.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(document.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(directive.path("Namespace").asString()).isEqualTo("PipeDesk");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Stage\"]]");
        assertThat(directive.path("Metrics").toString()).isEqualTo(
                "[{\"Name\":\"AuditEventsWritten\",\"Unit\":\"Count\"},{\"Name\":\"AuditEventsRejected\",\"Unit\":\"Count\"}]");
        assertThat(document.path("Stage").asString()).isEqualTo("prod");
        assertThat(document.path("AuditEventsWritten").asLong()).isEqualTo(10);
        assertThat(document.path("AuditEventsRejected").asLong()).isZero();
        assertThat(document.path("function").asString()).isEqualTo("audit-writer");
        assertThat(document.path("requestId").asString()).isEqualTo("req-1");
    }

    @Test
    void aGaugeKeepsTheLastValueSet() {
        metrics.gauge(OperatorMetric.CALENDARS_SYNC_FAILED, 4);
        metrics.gauge(OperatorMetric.CALENDARS_SYNC_FAILED, 2);

        assertThat(metrics.recorded()).containsExactly(Map.entry(OperatorMetric.CALENDARS_SYNC_FAILED, 2L));
    }

    @Test
    void eachDocumentHoldsOnlyWhatWasRecordedSinceTheLastOne() {
        metrics.count(OperatorMetric.REQUESTS_RATE_LIMITED, 1);
        metrics.publish(Map.of());
        metrics.count(OperatorMetric.SYNC_CHANGES_APPLIED, 5);
        metrics.publish(Map.of());

        assertThat(lines).hasSize(2);
        JsonNode second = Json.MAPPER.readTree(lines.get(1));
        assertThat(second.has("RequestsRateLimited")).isFalse();
        assertThat(second.path("SyncChangesApplied").asLong()).isEqualTo(5);
    }

    @Test
    void nothingRecordedWritesNothing() {
        assertThat(metrics.publish(Map.of("function", "calendar"))).isEmpty();
        assertThat(lines).isEmpty();
    }

    @Test
    void propertiesNeverOverwriteTheMetricsOrTheStageAndNullsAreLeftOut() {
        metrics.count(OperatorMetric.CHANNELS_RENEWED, 1);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("Stage", "forged");
        properties.put("ChannelsRenewed", "forged");
        properties.put("requestId", null);

        metrics.publish(properties);

        JsonNode document = Json.MAPPER.readTree(lines.getFirst());
        assertThat(document.path("Stage").asString()).isEqualTo("prod");
        assertThat(document.path("ChannelsRenewed").asLong()).isEqualTo(1);
        assertThat(document.has("requestId")).isFalse();
    }

    @Test
    void theStageIsLocalUnlessConfigured() {
        assertThat(MetricsSettings.fromEnv(new dev.pipedesk.core.Env(Map.of())).stage()).isEqualTo("local");
        assertThat(MetricsSettings.fromEnv(new dev.pipedesk.core.Env(Map.of("PIPEDESK_STAGE", "prod"))).stage())
                .isEqualTo("prod");
    }
}
