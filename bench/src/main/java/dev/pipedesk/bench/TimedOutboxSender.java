package dev.pipedesk.bench;

import dev.pipedesk.audit.OutboxMessage;
import dev.pipedesk.audit.OutboxSender;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** An outbox sender, timed: how long its last {@code send} took, and all of them together. */
final class TimedOutboxSender implements OutboxSender {
    private final OutboxSender delegate;
    private final AtomicLong totalNanos = new AtomicLong();
    private volatile long lastNanos;

    TimedOutboxSender(OutboxSender delegate) {
        this.delegate = delegate;
    }

    @Override
    public Set<String> send(List<OutboxMessage> messages) {
        long start = System.nanoTime();
        try {
            return delegate.send(messages);
        } finally {
            lastNanos = System.nanoTime() - start;
            totalNanos.addAndGet(lastNanos);
        }
    }

    /** Nanoseconds the last send took. */
    long lastNanos() {
        return lastNanos;
    }

    /** Nanoseconds all sends took since the last {@link #resetTotal()}. */
    long totalNanos() {
        return totalNanos.get();
    }

    void resetTotal() {
        totalNanos.set(0);
    }
}
