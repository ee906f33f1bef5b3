package dev.pipedesk.google;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Truncated exponential backoff with jitter, bounded both in attempts and in elapsed time:
 * the n-th retry waits {@code min(base * 2^n + random(0..base), maxDelay)}.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxElapsed) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    /** The pause before retry number {@code retry} (0-based). */
    public Duration delayBefore(int retry) {
        long base = baseDelay.toMillis();
        long exponential = base * (1L << Math.min(retry, 20));
        long jitter = base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base + 1);
        return Duration.ofMillis(Math.min(exponential + jitter, maxDelay.toMillis()));
    }
}
