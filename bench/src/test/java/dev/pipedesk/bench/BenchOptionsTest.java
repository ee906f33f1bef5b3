package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    private static final Path ROOT = Path.of("/repo");

    @Test
    void theSyncBenchmarksRunByDefaultWithAtLeastTheIssuesCounts() {
        BenchOptions defaults = BenchOptions.parse(new String[0], ROOT);

        assertThat(defaults.runs("sync-visibility")).isTrue();
        assertThat(defaults.runs("webhook-ack")).isTrue();
        assertThat(defaults.runs("full-sync")).isTrue();
        assertThat(defaults.syncChanges()).isGreaterThanOrEqualTo(100);
        assertThat(defaults.webhookRequests()).isGreaterThanOrEqualTo(500);
        assertThat(defaults.syncEvents()).isEqualTo(10_000);
    }

    @Test
    void onlySelectsTheNamedBenchmarksAndTheSyncCountsAreOptions() {
        BenchOptions options = BenchOptions.parse(new String[]{"--only=sync-visibility,full-sync", "--sync-changes=150",
                "--sync-warmup=5", "--webhook-requests=600", "--webhook-warmup=50", "--sync-events=2_000", "--no-output"}, ROOT);

        assertThat(options.only()).containsExactly("sync-visibility", "full-sync");
        assertThat(options.runs("webhook-ack")).isFalse();
        assertThat(options.runs("ingest")).isFalse();
        assertThat(List.of(options.syncChanges(), options.syncWarmup(), options.webhookRequests(), options.webhookWarmup(),
                options.syncEvents())).containsExactly(150, 5, 600, 50, 2_000);
        assertThat(options.output()).isNull();
    }

    @Test
    void refusesAnUnknownBenchmarkName() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--only=sync"}, ROOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sync-visibility");
    }

    @Test
    void thePipelineBatchSizeIsAnOptionUpToLambdasLimit() {
        assertThat(BenchOptions.parse(new String[0], ROOT).pipelineBatchSize()).isEqualTo(1_000);
        assertThat(BenchOptions.parse(new String[]{"--pipeline-batch=250"}, ROOT).pipelineBatchSize()).isEqualTo(250);
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--pipeline-batch=10001"}, ROOT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--jdbc-batch=500"}, ROOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option");
    }
}
