package dev.pipedesk.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The moment by which the API request being handled must have its answer. It is bound for the
 * duration of the request ({@link #callWithin}, a {@link ScopedValue}, so it ends with the
 * request and never leaks into other threads); code that waits on a dependency (a Google call,
 * a backoff pause, a database round trip) cuts its wait to the time left. Outside a request
 * nothing is bound, and each dependency keeps its own limits.
 */
public final class RequestDeadline {
    private static final ScopedValue<Instant> CURRENT = ScopedValue.newInstance();

    private RequestDeadline() {
    }

    /** Runs {@code work} with {@code deadline} bound; inside another deadline the earlier of the two holds. */
    public static <T> T callWithin(Instant deadline, Supplier<T> work) {
        return ScopedValue.where(CURRENT, earlierOf(deadline)).call(work::get);
    }

    /** The current request's deadline, or empty outside a request. */
    public static Optional<Instant> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** {@code limit}, or the current request's deadline when that comes first. */
    public static Instant earlierOf(Instant limit) {
        return current().filter(deadline -> deadline.isBefore(limit)).orElse(limit);
    }

    /** The time left until {@code deadline} on {@code clock}; zero once it has passed. */
    public static Duration timeLeft(Instant deadline, Clock clock) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
