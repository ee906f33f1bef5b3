package dev.pipedesk.google;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run of retries under a {@link RetryPolicy}: hands out the pause before each retry while
 * retries are left and the pause would end within the policy's time budget, counted from the
 * start of the run. Used by {@link GoogleCalls} (retries of a call) and by the Meet poll
 * (re-reads of a pending conference), so both stop the same way.
 */
final class Backoff {
    private final RetryPolicy policy;
    private final int maxRetries;
    private final Clock clock;
    private final Instant deadline;
    private int retries;

    /** Starts the run now; {@code maxRetries} is how many pauses it may hand out at most. */
    Backoff(RetryPolicy policy, int maxRetries, Clock clock) {
        this.policy = policy;
        this.maxRetries = maxRetries;
        this.clock = clock;
        this.deadline = clock.instant().plus(policy.maxElapsed());
    }

    /** The pause before the next retry (counted as taken), or empty when the budget is spent. */
    Optional<Duration> nextPause() {
        if (retries >= maxRetries) {
            return Optional.empty();
        }
        Duration pause = policy.delayBefore(retries);
        if (clock.instant().plus(pause).isAfter(deadline)) {
            return Optional.empty();
        }
        retries++;
        return Optional.of(pause);
    }
}
