package dev.pipedesk.state;

import java.time.Duration;

/** Whether a request may be served. */
public sealed interface RateLimitDecision {

    /** Served: under the limit, limiting off, or the counter store unreachable (fail open). */
    record Allowed() implements RateLimitDecision {
    }

    /**
     * Over the limit of the current one-minute window.
     *
     * @param retryAfter the time until the window ends (at least one second)
     */
    record Refused(Duration retryAfter) implements RateLimitDecision {

        /** The {@code Retry-After} header's value: whole seconds, rounded up. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    RateLimitDecision ALLOWED = new Allowed();
}
