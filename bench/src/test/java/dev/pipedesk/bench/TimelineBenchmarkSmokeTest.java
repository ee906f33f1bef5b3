package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.local.LocalFunctions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the timeline suite runs end to end on a tiny stored database (a thousandth of issue 10's,
 * in bench/target/timeline-data/) with the real components: the timeline handler in-process, the
 * local stack on that database, the peer's method, EXPLAIN. No timing is asserted.
 */
@Tag("e2e")
class TimelineBenchmarkSmokeTest {
    private static final Path REPO_ROOT = Benchmarks.locateRepoRoot(Path.of(""));

    @Test
    void theTimelineSuiteRunsAloneAndItsSectionChartAndPlansAreWritten(@TempDir Path docs) throws Exception {
        assertThat(LocalFunctions.TIMELINE.isBuilt(REPO_ROOT)).as("the timeline's Lambda layout is built before this module").isTrue();
        BenchOptions options = BenchOptions.parse(new String[]{"--only=timeline", "--timeline-scale=1000",
                "--timeline-warmup=2", "--timeline-iterations=5", "--timeline-api-warmup=1", "--timeline-api-iterations=3",
                "--timeline-peer-iterations=2", "--no-output"}, REPO_ROOT);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        PerformanceReport report = new Benchmarks(REPO_ROOT, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(options);
        TimelineSection.writeCharts(docs, report.timeline());

        TimelineBenchmark.Result timeline = report.timeline();
        assertThat(report.sameBatch()).isEmpty();
        assertThat(report.outbox()).isNull();
        assertThat(timeline.generation().summary().meetings()).isEqualTo(202);
        assertThat(timeline.apiMissing()).isNull();
        assertThat(timeline.auditLogs()).hasSize(7).allSatisfy(shape -> {
            assertThat(shape.items()).isPositive();
            assertThat(shape.inProcess().count()).isEqualTo(5);
            assertThat(shape.api().count()).isEqualTo(3);
            assertThat(shape.handler().count()).isEqualTo(3);
        });
        assertThat(timeline.timeline()).hasSize(7).allSatisfy(shape -> {
            assertThat(shape.inProcess().count()).isEqualTo(5);
            assertThat(shape.service().count()).isEqualTo(5);
            assertThat(shape.rawSql().count()).isEqualTo(5);
            assertThat(shape.materialized().count()).isEqualTo(5);
            assertThat(shape.peer().count()).isEqualTo(2);
            assertThat(shape.api().count()).isEqualTo(3);
            assertThat(shape.handler().count()).isEqualTo(3);
        });
        assertThat(timeline.timeline()).filteredOn(shape -> shape.shape().name().endsWith(", first page"))
                .allSatisfy(shape -> assertThat(shape.items()).isPositive());
        assertThat(timeline.materialized().rows()).isPositive();
        // 7 timeline statements, 1 per audit-log shape (the page and its capped total), 7 materialized references and
        // the uncapped count
        assertThat(timeline.plans()).hasSize(7 + 7 + 7 + 1).allSatisfy(plan -> assertThat(plan.text()).contains("Execution Time"));
        assertThat(report.verdicts()).filteredOn(verdict -> verdict.target().startsWith("Timeline in-process p95 <= 1.5x"))
                .singleElement().satisfies(verdict -> assertThat(verdict.result()).startsWith("the timeline service"));
        assertThat(report.verdicts()).extracting(PerformanceReport.Verdict::target)
                .anyMatch(target -> target.startsWith("Audit-log API in-process"))
                .anyMatch(target -> target.startsWith("Audit-log API through the local API"))
                .anyMatch(target -> target.startsWith("No sequential scan"))
                .anyMatch(target -> target.startsWith("Timeline in-process p95 < 15 ms"))
                .anyMatch(target -> target.startsWith("Timeline in-process p95 <= 1.5x"));
        assertThat(report.markdown()).contains(TimelineSection.HEADING, "### 6.1 The benchmark database",
                "### 6.2 The unified timeline", "### 6.3 UNION ALL or a materialized timeline", "### 6.4 Audit-log API",
                "### 6.5 Query plans", "<details>", TimelineSection.AUDIT_LOG_CHART, TimelineSection.TIMELINE_CHART,
                TimelineSection.TIMELINE_PEER_CHART)
                .doesNotContain("## 1. Audit ingest rate");
        for (String chart : List.of(TimelineSection.AUDIT_LOG_CHART, TimelineSection.TIMELINE_CHART, TimelineSection.TIMELINE_PEER_CHART)) {
            assertThat(Files.readString(docs.resolve(chart))).as(chart).startsWith("<?xml").contains("<svg");
        }
        assertThat(List.of(progress.toString(StandardCharsets.UTF_8).split("\n"))).anyMatch(line -> line.contains("timeline data"));
    }
}
