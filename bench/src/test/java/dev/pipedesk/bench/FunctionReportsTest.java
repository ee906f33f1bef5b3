package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionReportsTest {
    private static final List<String> LOG = List.of(
            "START RequestId: a Version: $LATEST",
            "2026-12-02T05:32:28.654Z  INFO webhook: sync requested",
            "END RequestId: a",
            "REPORT RequestId: a\tDuration: 26.02 ms\tMemory Size: 1024 MB\tHeap Used: 50 MB\tInit Duration: 812 ms",
            "a line mentioning REPORT RequestId: x\tDuration: 9.00 ms that is not a report",
            "REPORT RequestId: b\tDuration: 3.5 ms\tMemory Size: 1024 MB\tHeap Used: 50 MB");

    @Test
    void readsTheHandlerDurationOfEveryReportLineInNanoseconds() {
        assertThat(FunctionReports.durationsNanos(LOG)).containsExactly(26_020_000L, 3_500_000L);
    }

    @Test
    void readsOnlyTheReportLinesAfterTheSkippedOnesAndCountsLines(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("webhook.txt");
        Files.write(log, LOG);

        assertThat(FunctionReports.lineCount(log)).isEqualTo(6);
        assertThat(FunctionReports.durationsNanos(log, 4)).containsExactly(3_500_000L);
        assertThat(FunctionReports.durationsNanos(log, 6)).isEmpty();
    }

    @Test
    void aLogNotWrittenYetHasNoLinesAndNoReports(@TempDir Path dir) {
        Path missing = dir.resolve("not-yet.txt");

        assertThat(FunctionReports.lineCount(missing)).isZero();
        assertThat(FunctionReports.durationsNanos(missing, 0)).isEmpty();
    }
}
