package dev.pipedesk.state;

/**
 * Counts a request against its subject's limit and decides whether it may be served. The HTTP
 * API shell asks it once per authenticated request; {@link DynamoDbRateLimiter} is the real one.
 */
@FunctionalInterface
public interface RateLimiter {

    /** Limiting off: every request is allowed, nothing is counted. */
    RateLimiter OFF = subject -> RateLimitDecision.ALLOWED;

    RateLimitDecision acquire(RateLimitSubject subject);
}
