package dev.pipedesk.local.lambda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A readable console: a function's every line goes to its log file, only warnings also to the console. */
class LogSinkTest {

    @Test
    void keepsLambdaReportLinesAndInfoLogsOffTheConsoleButShowsWarnings(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String[] lines = {
                "START RequestId: r-1 Version: $LATEST",
                "2026-12-02T03:00:00.000Z  INFO 42 --- [main] d.p.calendar.CalendarService : listed 50 meetings",
                "END RequestId: r-1",
                "REPORT RequestId: r-1\tDuration: 2.00 ms\tMemory Size: 1024 MB\tHeap Used: 60 MB",
                "2026-12-02T03:00:01.000Z  WARN 42 --- [main] d.p.google.Retry : Google answered 503; retrying",
                "java.lang.IllegalStateException: boom",
                "Task timed out after 29000 ms (RequestId r-2); stopping this instance"};

        try (LogSink sink = LogSink.fileAndConsole("calendar", dir, new PrintStream(console, true, StandardCharsets.UTF_8),
                LogSink.WARNINGS)) {
            for (String line : lines) {
                sink.line(line);
            }
        }

        assertThat(Files.readAllLines(dir.resolve("calendar.log"))).containsExactly(lines);
        assertThat(console.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "[calendar] " + lines[4], "[calendar] " + lines[5], "[calendar] " + lines[6]);
    }
}
