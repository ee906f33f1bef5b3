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
    void theTimelineSuiteRunsAloneWithItsOwnOptionsOnTheIssuesDatabaseByDefault() {
        BenchOptions defaults = BenchOptions.parse(new String[0], ROOT);
        BenchOptions options = BenchOptions.parse(new String[]{"--only=timeline", "--timeline-iterations=40",
                "--timeline-warmup=5", "--timeline-api-iterations=30", "--timeline-api-warmup=3", "--timeline-peer-iterations=4",
                "--timeline-shape-seconds=7", "--timeline-scale=1_000"}, ROOT);

        assertThat(defaults.runs("timeline")).isTrue();
        assertThat(defaults.timeline().size()).isEqualTo(TimelineDataSize.FULL);
        assertThat(TimelineDataSize.FULL.auditRows()).isEqualTo(2_000_000);
        assertThat(options.runs("timeline")).isTrue();
        assertThat(options.runs("ingest")).isFalse();
        assertThat(options.timeline()).isEqualTo(new TimelineOptions(5, 40, 3, 30, 4, 7, 1_000));
        assertThat(options.timeline().size().entities()).isEqualTo(100);
    }

    @Test
    void refusesAnUnknownTimelineOption() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--timeline-rows=5"}, ROOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--timeline-rows");
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
