package dev.pipedesk.google;

import java.time.Duration;
import java.security.SecureRandom;

/**
 * Truncated exponential backoff with jitter, bounded both in attempts and in elapsed time:
 * the n-th retry waits {@code min(base * 2^n + random(0..base), maxDelay)}.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxElapsed) {
    /**
     * The jitter's source. Not {@code ThreadLocalRandom}: its seeds derive from a seed taken when its
     * class loads, which a SnapStart snapshot would hand to every restored copy of a function, so all
     * of them would retry in step. {@code SecureRandom} mixes fresh operating-system entropy into
     * every draw (docs/architecture.md, "SnapStart").
     */
    private static final SecureRandom JITTER = new SecureRandom();

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    /** The pause before retry number {@code retry} (0-based). */
    public Duration delayBefore(int retry) {
        long base = baseDelay.toMillis();
        long exponential = base * (1L << Math.min(retry, 20));
        long jitter = base == 0 ? 0 : JITTER.nextLong(base + 1);
        return Duration.ofMillis(Math.min(exponential + jitter, maxDelay.toMillis()));
    }
}
