package dev.pipedesk.google;

import java.time.Duration;

/** Pauses between attempts; tests substitute one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while backing off", e);
        }
    };

    void sleep(Duration duration);
}
