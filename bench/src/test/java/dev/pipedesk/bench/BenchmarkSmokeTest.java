package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.local.LocalFunctions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the harness works: every benchmark runs end to end with a tiny N on the real
 * components and the report is complete. No timing is asserted; ./pipedesk bench measures.
 */
@Tag("e2e")
class BenchmarkSmokeTest {
    private static final Path REPO_ROOT = Benchmarks.locateRepoRoot(Path.of(""));

    @Test
    void generatedEventsFollowTheAuditEventContract() {
        AuditEventValidator validator = AuditEventValidator.load();
        List<String> bodies = AuditEventGenerator.bodies(new AuditEventGenerator(7).generate(500));

        assertThat(bodies).allSatisfy(body -> assertThat(validator.validate(body)).isEmpty());
        assertThat(bodies).doesNotHaveDuplicates();
    }

    @Test
    void everyBenchmarkRunsOnTheRealComponentsAndTheReportCoversIt() throws Exception {
        assertThat(LocalFunctions.AUDIT_WRITER.isBuilt(REPO_ROOT))
                .as("the audit-writer's Lambda layout is built before this module (reactor order)").isTrue();
        // Every suite but the timeline's (TimelineBenchmarkSmokeTest runs that one on its own tiny database) and the
        // cold-start suite's (ColdStartBenchmarkSmokeTest).
        List<String> suites = BenchOptions.BENCHMARKS.stream().filter(name -> !name.equals("timeline") && !name.equals("coldstart"))
                .toList();
        BenchOptions tiny = new BenchOptions(30, 10, 20, 1, List.of(1), 5, 20, 1, 3, 3, 10, 50, null, suites,
                TimelineOptions.defaults(), ColdStartOptions.defaults());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        PerformanceReport report = new Benchmarks(REPO_ROOT, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(tiny);

        assertThat(report.sameBatch()).extracting(AuditIngestBenchmark.SameBatch::batchSize).containsExactly(10, 100, 1_000);
        assertThat(report.sameBatch()).allSatisfy(b -> {
            assertThat(b.raw()).singleElement().satisfies(run -> assertThat(run.events()).isEqualTo(30));
            assertThat(b.writer()).singleElement().satisfies(run -> assertThat(run.events()).isEqualTo(30));
            assertThat(b.breakdown().fastPathMicros()).isPositive();
        });
        assertThat(report.sameBatch().getFirst().medianWriter().batches().count()).isEqualTo(3);
        assertThat(report.pipelineMissing()).isNull();
        assertThat(report.pipelines()).singleElement().satisfies(pipeline -> {
            assertThat(pipeline.deadLettered()).isZero();
            assertThat(pipeline.batchSize()).isEqualTo(20);
            assertThat(pipeline.endToEnd().batches()).isPositive();
            assertThat(pipeline.drain().batches()).isPositive();
            assertThat(pipeline.endToEnd().handler().count()).isEqualTo((int) pipeline.endToEnd().batches());
        });
        assertThat(report.outbox().iterations()).isEqualTo(20);
        assertThat(report.outbox().leftInOutbox()).isZero();
        assertThat(report.outbox().queued()).isEqualTo(25);
        assertThat(report.gateway().iterations()).isEqualTo(20);
        assertThat(report.gateway().large().count()).isEqualTo(20);
        assertThat(report.rateLimit().iterations()).isEqualTo(20);
        assertThat(report.rateLimit().refused()).isZero();
        assertThat(report.syncVisibility().changes()).isEqualTo(3);
        assertThat(report.syncVisibility().meetings()).isEqualTo(4);
        assertThat(report.webhookAck().requests()).isEqualTo(10);
        assertThat(report.webhookAck().results()).containsExactly(java.util.Map.entry("enqueued", 10));
        assertThat(report.fullSync().runs()).singleElement().satisfies(run -> {
            assertThat(run.outcome().created()).isEqualTo(50);
            assertThat(run.rows()).isEqualTo(50);
            assertThat(run.published()).isEqualTo(50);
            assertThat(run.leftInOutbox()).isZero();
        });
        assertThat(report.verdicts()).hasSize(7);
        assertThat(report.markdown()).contains("## Machine", "## Verdicts", "## 1. Audit ingest rate",
                "## 2. Outbox overhead on a calendar write", "## 3. Local API overhead", "## 4. Rate limiter overhead per API request",
                "## 5. Google Calendar sync", "### 5.1 Google change", "### 5.2 Webhook acknowledgement", "### 5.3 Full sync of 50 events",
                "./pipedesk bench");
    }
}
