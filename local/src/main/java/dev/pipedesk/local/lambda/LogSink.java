package dev.pipedesk.local.lambda;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Where a function's output lines go: the console with a {@code [name]} prefix, a log file, or a
 * log file with some lines also on the console ({@link #fileAndConsole}).
 */
public sealed interface LogSink extends AutoCloseable {

    void line(String line);

    @Override
    default void close() {
    }

    /** Lines prefixed with {@code [name]}, e.g. {@code [calendar] Started CalendarApplication in 2.1 s}. */
    static LogSink console(String name, PrintStream out) {
        return new Console("[" + name + "] ", out);
    }

    /** Lines appended to {@code dir/<name>.log} (the directory is created). */
    static LogSink file(String name, Path dir) {
        try {
            Files.createDirectories(dir);
            return new FileSink(dir.resolve(name + ".log"), Files.newBufferedWriter(dir.resolve(name + ".log"),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file for " + name + " in " + dir, e);
        }
    }

    /**
     * A line worth the console's attention: a log line at WARN or ERROR level, an exception, or the
     * host's own news of a timeout or a dead instance. START/END/REPORT lines and INFO logs are not.
     */
    Predicate<String> WARNINGS = Pattern.compile(
            "\\b(WARN|WARNING|ERROR|SEVERE|FATAL)\\b|Exception\\b|^Caused by:|Task timed out|exited with code|could not start")
            .asPredicate();

    /** Every line to {@code dir/<name>.log}; those {@code toConsole} accepts also to the console, prefixed with {@code [name]}. */
    static LogSink fileAndConsole(String name, Path dir, PrintStream out, Predicate<String> toConsole) {
        return new Tee(file(name, dir), console(name, out), toConsole);
    }

    record Tee(LogSink file, LogSink console, Predicate<String> toConsole) implements LogSink {
        @Override
        public void line(String line) {
            file.line(line);
            if (toConsole.test(line)) {
                console.line(line);
            }
        }

        @Override
        public void close() {
            file.close();
        }
    }

    record Console(String prefix, PrintStream out) implements LogSink {
        @Override
        public void line(String line) {
            out.println(prefix + line);
        }
    }

    record FileSink(Path path, BufferedWriter writer) implements LogSink {
        @Override
        public void line(String line) {
            synchronized (writer) {
                try {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                } catch (IOException ignored) {
                    // a full disk must not stop the function; the line is lost
                }
            }
        }

        @Override
        public void close() {
            synchronized (writer) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
        }
    }
}
