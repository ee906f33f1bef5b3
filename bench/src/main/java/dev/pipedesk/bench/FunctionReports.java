package dev.pipedesk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code REPORT} lines a function instance writes after each invocation, as Lambda does
 * ({@code REPORT RequestId: <id>\tDuration: <ms> ms\t...}): how long the handler ran.
 */
final class FunctionReports {
    static final Pattern REPORT = Pattern.compile("^REPORT RequestId: (\\S+)\\tDuration: ([0-9.]+) ms");

    private FunctionReports() {
    }

    /** The handler durations (ns) of the REPORT lines among {@code lines}, in order. */
    static List<Long> durationsNanos(List<String> lines) {
        List<Long> durations = new ArrayList<>();
        for (String line : lines) {
            Matcher report = REPORT.matcher(line);
            if (report.find()) {
                durations.add(Math.round(Double.parseDouble(report.group(2)) * 1_000_000));
            }
        }
        return durations;
    }

    /** The handler durations (ns) of the REPORT lines after the first {@code skipLines} lines of the log. */
    static List<Long> durationsNanos(Path log, long skipLines) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return durationsNanos(lines.skip(skipLines).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first {@code expected} handler durations (ns) after line {@code skipLines}, waiting up to
     * 30 s for them: the function host's output reaches the log through a pump thread.
     */
    static List<Long> awaitDurations(Path log, long skipLines, int expected) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Long> durations = durationsNanos(log, skipLines);
            if (durations.size() >= expected) {
                return durations.subList(0, expected);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + durations.size() + " of " + expected + " REPORT lines in " + log);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** How many lines the log has now (0 when there is none yet). */
    static long lineCount(Path log) {
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
