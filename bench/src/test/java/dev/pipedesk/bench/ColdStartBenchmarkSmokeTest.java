package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.local.LocalFunctions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the cold-start suite runs end to end: one cold start of the authorizer and one of its bare handler
 * (fresh JVMs, the local services), one warm invocation each, the same answer from both (the suite fails
 * otherwise), and the section and verdict written. No timing is asserted.
 */
@Tag("e2e")
class ColdStartBenchmarkSmokeTest {
    private static final Path REPO_ROOT = Benchmarks.locateRepoRoot(Path.of(""));

    @Test
    void oneColdStartOfAFunctionAndItsBareHandlerIsMeasuredAndReported() throws Exception {
        assertThat(LocalFunctions.AUTHORIZER.isBuilt(REPO_ROOT)).as("the authorizer's Lambda layout is built before this module").isTrue();
        BenchOptions options = BenchOptions.parse(new String[]{"--only=coldstart", "--coldstart-functions=authorizer",
                "--coldstart-runs=1", "--coldstart-warm=1", "--coldstart-variants=real,bare", "--no-output"}, REPO_ROOT);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        PerformanceReport report = new Benchmarks(REPO_ROOT, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(options);

        ColdStartBenchmark.Result coldStart = report.coldStart();
        assertThat(coldStart.functions()).singleElement().satisfies(function -> {
            assertThat(function.function()).isEqualTo("authorizer");
            assertThat(function.cold().get(ColdStartBenchmark.Variant.REAL)).hasSize(1);
            assertThat(function.cold().get(ColdStartBenchmark.Variant.BARE)).hasSize(1);
            assertThat(function.warm().get(ColdStartBenchmark.Variant.REAL).count()).isEqualTo(1);
            assertThat(function.warm().get(ColdStartBenchmark.Variant.BARE).count()).isEqualTo(1);
            assertThat(function.jars().get(ColdStartBenchmark.Variant.BARE)).isLessThan(function.jars().get(ColdStartBenchmark.Variant.REAL));
            assertThat(function.ratio()).isPositive();
        });
        assertThat(report.verdicts()).extracting(PerformanceReport.Verdict::target).anyMatch(t -> t.startsWith("Cold start <= 3x"));
        assertThat(report.markdown()).contains(ColdStartSection.HEADING, "| authorizer |").doesNotContain("## 1. Audit ingest rate");
        assertThat(report.console()).contains("== Cold start");
    }
}
