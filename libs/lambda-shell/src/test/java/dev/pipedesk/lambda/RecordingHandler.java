package dev.pipedesk.lambda;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Keeps what a {@code java.util.logging} logger published, for the shells' tests (libs/test-support's
 * {@code LogCapture} depends on this module, so its tests cannot use it).
 */
final class RecordingHandler extends Handler {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    /** What was published since the handler was added, oldest first. */
    List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
