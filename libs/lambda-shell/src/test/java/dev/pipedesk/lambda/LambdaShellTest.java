package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.OperatorMetric;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/** What every shell does around an invocation: the log fields, the cold-start flag, the metrics document. */
class LambdaShellTest {
    private final List<String> documents = new ArrayList<>();
    private final EmfMetrics metrics = new EmfMetrics("test", documents::add, Clock.systemUTC());
    private final List<Map<String, String>> fieldsSeen = new ArrayList<>();

    /** A shell that records the log fields it runs with, counts one rate-limited request and answers "ok". */
    private final class RecordingShell extends LambdaShell<String> {
        private final Consumer<EmfMetrics> work;

        RecordingShell(Consumer<EmfMetrics> work) {
            super(metrics);
            this.work = work;
        }

        @Override
        public String apply(InputStream rawEvent) {
            fieldsSeen.add(new HashMap<>(MDC.getCopyOfContextMap()));
            work.accept(metrics);
            return "ok";
        }
    }

    @BeforeEach
    void freshExecutionEnvironment() {
        LambdaInvocation.restored();
    }

    @Test
    void eachInvocationRunsWithItsRequestIdFunctionAndColdStartFlagAndLeavesNoneBehind() {
        RecordingShell shell = new RecordingShell(m -> { });

        shell.apply(TestInvocation.of("req-1", "audit-writer", "{}"));
        shell.apply(TestInvocation.of("req-2", "audit-writer", "{}"));

        assertThat(fieldsSeen.get(0)).containsEntry("requestId", "req-1").containsEntry("function", "audit-writer")
                .containsEntry("coldStart", "true").doesNotContainKey("userId");
        assertThat(fieldsSeen.get(1)).containsEntry("requestId", "req-2").containsEntry("coldStart", "false");
        assertThat(MDC.get("requestId")).isNull();
        assertThat(MDC.get("coldStart")).isNull();
    }

    @Test
    void afterARestoreTheNextInvocationIsAColdStartAgain() {
        RecordingShell shell = new RecordingShell(m -> { });
        shell.apply(TestInvocation.of("priming", "calendar", "{}"));

        LambdaInvocation.restored();
        shell.apply(TestInvocation.of("req-after-restore", "calendar", "{}"));

        assertThat(fieldsSeen.get(1)).containsEntry("coldStart", "true");
    }

    @Test
    void theUserIdIsAddedOnlyInsideAnInvocationAndClearedAfterIt() {
        RecordingShell shell = new RecordingShell(m -> LambdaInvocation.userId("u-42"));
        LambdaInvocation.userId("outside");

        shell.apply(TestInvocation.of("req-1", "calendar", "{}"));
        fieldsSeen.clear();
        new RecordingShell(m -> { }).apply(TestInvocation.of("req-2", "calendar", "{}"));

        assertThat(MDC.get("userId")).isNull();
        assertThat(fieldsSeen.getFirst()).doesNotContainKey("userId");
    }

    @Test
    void theMetricsOfAnInvocationAreWrittenAtItsEndAsOneDocumentNamingTheInvocation() {
        new RecordingShell(m -> m.count(OperatorMetric.REQUESTS_RATE_LIMITED, 1))
                .apply(TestInvocation.of("req-9", "timeline", "{}"));

        assertThat(documents).hasSize(1);
        JsonNode document = Json.MAPPER.readTree(documents.getFirst());
        assertThat(document.path("RequestsRateLimited").asLong()).isEqualTo(1);
        assertThat(document.path("requestId").asString()).isEqualTo("req-9");
        assertThat(document.path("function").asString()).isEqualTo("timeline");
    }

    @Test
    void theMetricsAreWrittenAlsoWhenTheInvocationFails() {
        LambdaShell<String> failing = new LambdaShell<>(metrics) {
            @Override
            public String apply(InputStream rawEvent) {
                metrics.gauge(OperatorMetric.CALENDARS_SYNC_FAILED, 2);
                throw new IllegalStateException("a job failed");
            }
        };

        assertThatThrownBy(() -> failing.apply(TestInvocation.of("req-3", "channel-renewal", "{}")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(documents).singleElement().satisfies(document ->
                assertThat(Json.MAPPER.readTree(document).path("CalendarsSyncFailed").asLong()).isEqualTo(2));
        assertThat(MDC.get("requestId")).isNull();
    }

    @Test
    void anInvocationWithoutContextStillRuns() {
        RecordingShell shell = new RecordingShell(m -> { });

        String answer = shell.apply(org.springframework.messaging.support.MessageBuilder
                .<InputStream>withPayload(InputStream.nullInputStream()).build());

        assertThat(answer).isEqualTo("ok");
        assertThat(fieldsSeen.getFirst()).doesNotContainKey("requestId").containsEntry("coldStart", "true");
    }
}
