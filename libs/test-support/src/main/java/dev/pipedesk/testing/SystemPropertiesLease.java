package dev.pipedesk.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * System properties set for one owner at a time: {@link #acquire} waits while another lease is
 * open, sets the properties, and {@link #close()} puts back the values they had before and lets
 * the next owner in. System properties are global to the JVM; tests running side by side each
 * get them whole in turn.
 */
final class SystemPropertiesLease implements AutoCloseable {
    private static final Semaphore OWNER = new Semaphore(1, true);
    private static volatile Thread heldBy;

    /** Each property this lease set, with the value it had before (null: it was not set). */
    private final Map<String, String> previousValues;
    private boolean closed;

    private SystemPropertiesLease(Map<String, String> previousValues) {
        this.previousValues = previousValues;
    }

    /**
     * Sets {@code properties} once no other lease is open.
     *
     * @throws IllegalStateException when this thread holds a lease already (it would wait for
     *                               itself), or another lease stays open longer than {@code wait}
     */
    static SystemPropertiesLease acquire(Map<String, String> properties, Duration wait) {
        if (heldBy == Thread.currentThread()) {
            throw new IllegalStateException("This thread holds the system properties already: close its lease (e.g. "
                    + "its LambdaFunctionHarness) before taking another.");
        }
        try {
            if (!OWNER.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The system properties have been held for more than " + wait
                        + " by another lease: is it never closed?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the system properties", e);
        }
        heldBy = Thread.currentThread();
        Map<String, String> previousValues = new HashMap<>();
        properties.forEach((name, value) -> previousValues.put(name, System.setProperty(name, value)));
        return new SystemPropertiesLease(previousValues);
    }

    /** Puts the properties back as they were and lets the next lease in. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        previousValues.forEach((name, previous) -> {
            if (previous == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, previous);
            }
        });
        heldBy = null;
        OWNER.release();
    }
}
