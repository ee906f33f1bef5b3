package dev.pipedesk.google;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run of retries under a {@link RetryPolicy}: hands out the pause before each retry while
 * retries are left and the pause ends by a given moment (the caller keeps time for the attempt
 * after it). Used by {@link GoogleCalls} (retries of a call) and by the Meet poll (re-reads of a
 * pending conference), so both stop the same way.
 */
final class Backoff {
    private final RetryPolicy policy;
    private final int maxRetries;
    private final Clock clock;
    private final Instant pausesEndBy;
    private int retries;

    /** {@code maxRetries} is how many pauses it may hand out at most; none ends after {@code pausesEndBy}. */
    Backoff(RetryPolicy policy, int maxRetries, Clock clock, Instant pausesEndBy) {
        this.policy = policy;
        this.maxRetries = maxRetries;
        this.clock = clock;
        this.pausesEndBy = pausesEndBy;
    }

    /** The pause before the next retry (counted as taken), or empty when the budget is spent. */
    Optional<Duration> nextPause() {
        return nextPause(Duration.ZERO);
    }

    /** As {@link #nextPause()}, but at least {@code atLeast} (a wait Google asked for with {@code Retry-After}). */
    Optional<Duration> nextPause(Duration atLeast) {
        if (retries >= maxRetries) {
            return Optional.empty();
        }
        Duration backoff = policy.delayBefore(retries);
        Duration pause = backoff.compareTo(atLeast) >= 0 ? backoff : atLeast;
        if (clock.instant().plus(pause).isAfter(pausesEndBy)) {
            return Optional.empty();
        }
        retries++;
        return Optional.of(pause);
    }
}
