package dev.pipedesk.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One secret, read from its {@link SecretSource} at first use — never at construction, so that a
 * SnapStart snapshot taken after construction holds no secret — and kept for a time-to-live, then
 * read again so that a rotated secret is taken up. The value is parsed (and validated) once per
 * distinct raw value: a re-read that finds the same raw value keeps the parsed one (e.g. Google
 * credentials with their access token).
 *
 * <p>A value that does not parse (a new secret that is not usable) fails closed: {@link #get()}
 * throws, and for {@link #RETRY_AFTER_FAILURE} (at most the TTL) throws the same failure again
 * without asking the source, so a broken secret does not make every request call Secrets
 * Manager. A source that cannot be reached at a re-read leaves the value read last in use (a
 * warning is logged) and is asked again after {@link #RETRY_AFTER_FAILURE}; with no value yet,
 * the failure is thrown (and remembered the same way).
 *
 * <p>{@link #invalidate()} makes the next {@link #get()} read again (a password the database
 * refused); {@link #forget()} drops the value altogether (after a SnapStart restore: see
 * {@link Secrets#forgetAll()}). Thread-safe.
 *
 * @param <T> the parsed value
 */
public final class RefreshingSecret<T> {
    /** How long a failed read is repeated from memory before the source is asked again. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(RefreshingSecret.class.getName());

    private final String arn;
    private final SecretSource source;
    private final Function<String, T> parser;
    private final Duration ttl;
    private final Clock clock;

    private String raw;
    private T value;
    private Instant readAt;
    private RuntimeException failure;
    private Instant failedAt;
    private long reads;

    /**
     * @param parser turns the raw secret into the value, throwing (an {@link IllegalArgumentException}
     *               or {@link SecretUnavailableException}) for an unusable one; its message must not
     *               contain the secret
     */
    public RefreshingSecret(String arn, SecretSource source, Function<String, T> parser, Duration ttl, Clock clock) {
        this.arn = requireArn(arn);
        this.source = Objects.requireNonNull(source, "source");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Secrets.register(this);
    }

    private static String requireArn(String arn) {
        if (arn == null || arn.isBlank()) {
            throw new IllegalArgumentException("A secret ARN (or name) is required");
        }
        return arn.trim();
    }

    public String arn() {
        return arn;
    }

    /**
     * The value: from memory while younger than the TTL, else read (and, when its raw value
     * changed, parsed) again.
     *
     * @throws SecretUnavailableException when the secret cannot be read or is not usable
     */
    public synchronized T get() {
        Instant now = clock.instant();
        if (value != null && now.isBefore(readAt.plus(ttl))) {
            return value;
        }
        if (failure != null && now.isBefore(failedAt.plus(retryAfterFailure()))) {
            throw failure;
        }
        reads++;
        String fresh;
        try {
            fresh = source.read(arn);
            if (fresh == null) {
                throw new SecretUnavailableException("Secret " + arn + " has no value");
            }
        } catch (RuntimeException e) {
            SecretUnavailableException unavailable = e instanceof SecretUnavailableException known ? known
                    : new SecretUnavailableException("Secret " + arn + " could not be read: " + e.getClass().getSimpleName(), e);
            if (value != null) {
                // Secrets Manager unreachable: the value read last stays in use, and the source is
                // asked again after RETRY_AFTER_FAILURE (not on every use).
                LOG.warning(() -> "Secret " + arn + " could not be read again; the value read last stays in use: "
                        + unavailable.getMessage());
                readAt = now.minus(ttl).plus(retryAfterFailure());
                return value;
            }
            remember(unavailable, now);
            throw unavailable;
        }
        if (value == null || !fresh.equals(raw)) {
            T parsed;
            try {
                parsed = parse(fresh);
            } catch (SecretUnavailableException e) {
                // A new value that is not usable: fail closed, never fall back to the old one.
                remember(e, now);
                throw e;
            }
            raw = fresh;
            value = parsed;
        }
        readAt = now;
        failure = null;
        failedAt = null;
        return value;
    }

    private Duration retryAfterFailure() {
        return min(RETRY_AFTER_FAILURE, ttl);
    }

    private T parse(String fresh) {
        T parsed;
        try {
            parsed = parser.apply(fresh);
        } catch (SecretUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // The parser's message describes the problem ("at least 32 bytes"), never the value.
            throw new SecretUnavailableException("Secret " + arn + " is not usable: " + e.getMessage(), e);
        }
        if (parsed == null) {
            throw new SecretUnavailableException("Secret " + arn + " is not usable");
        }
        return parsed;
    }

    private void remember(SecretUnavailableException e, Instant now) {
        forget();
        failure = e;
        failedAt = now;
    }

    /** The next {@link #get()} reads the secret again (e.g. the database refused the password). */
    public synchronized void invalidate() {
        readAt = value == null ? null : Instant.MIN;
        failure = null;
        failedAt = null;
    }

    /** Drops the value and any remembered failure: the next {@link #get()} reads and parses afresh. */
    public synchronized void forget() {
        raw = null;
        value = null;
        readAt = null;
        failure = null;
        failedAt = null;
    }

    /** How many times the source was asked (for tests and metrics). */
    public synchronized long reads() {
        return reads;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Never prints the value. */
    @Override
    public String toString() {
        return "RefreshingSecret[arn=" + arn + ", ttl=" + ttl + "]";
    }
}
