package dev.pipedesk.google;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import dev.pipedesk.core.RequestDeadline;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Runs one Google call under the retry policy and a deadline: 429, rate-limit 403s, 5xx and
 * network failures are retried with truncated exponential backoff and jitter (at least as long
 * as Google's {@code Retry-After}), bounded in attempts and time; a 401 gets one new access
 * token and one immediate retry; everything else becomes a typed {@link GoogleCalendarException}
 * at once.
 *
 * <p>The call's deadline is {@code GOOGLE_RETRY_MAX_ELAPSED_MS} after it starts, or the API
 * request's {@link RequestDeadline} when that comes first. Each attempt is handed the deadline
 * (its connect and read timeouts are cut to it), no pause ends later than {@link #MIN_ATTEMPT}
 * before it, and no attempt starts after it: a call never outlasts its deadline.
 *
 * <p>Not the Google client's own backoff ({@code HttpBackOffUnsuccessfulResponseHandler} with
 * {@code ExponentialBackOff}): its retry decision sees only the response, so telling a 403
 * {@code rateLimitExceeded} from a 403 {@code forbidden} would consume the error body the typed
 * exception needs, and its budget knows nothing of a deadline.
 */
public final class GoogleCalls {
    private static final Logger LOG = Logger.getLogger(GoogleCalls.class.getName());
    /** No retry starts with less than this left before the deadline. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(500);
    /** The wait a rate limit is answered with when Google does not say (its quotas are per minute). */
    static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(30);
    /** The wait after {@code quotaExceeded}: Google's abuse-protection limits; do not hammer them. */
    static final Duration QUOTA_EXCEEDED_WAIT = Duration.ofHours(1);
    private static final Set<String> RATE_LIMIT_REASONS = Set.of("rateLimitExceeded", "userRateLimitExceeded");
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 500, 502, 503, 504);

    /** A Google request that gives up by {@code deadline}: {@code GoogleCalendarGateway} cuts its timeouts to it. */
    @FunctionalInterface
    public interface Call<T> {
        T execute(Instant deadline) throws IOException;
    }

    /** The OAuth access token the calls carry. */
    @FunctionalInterface
    public interface AccessToken {
        /** Replaces the token Google refused (401) with a new one, giving up by {@code deadline}. */
        void refresh(Instant deadline) throws IOException;
    }

    private final RetryPolicy policy;
    private final AccessToken accessToken;
    private final Sleeper sleeper;
    private final Clock clock;

    public GoogleCalls(RetryPolicy policy, AccessToken accessToken, Sleeper sleeper, Clock clock) {
        this.policy = policy;
        this.accessToken = accessToken;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public <T> T run(String operation, Call<T> call) {
        Instant deadline = RequestDeadline.earlierOf(clock.instant().plus(policy.maxElapsed()));
        // Attempts include the first one, so the retries are one fewer.
        Backoff backoff = new Backoff(policy, policy.maxAttempts() - 1, clock, deadline.minus(MIN_ATTEMPT));
        boolean tokenRefreshed = false;
        // An attempt that got no answer, or a 5xx, may have been carried out by Google.
        boolean unanswered = false;
        for (int attempt = 1; ; attempt++) {
            if (!clock.instant().isBefore(deadline)) {
                throw new GoogleCalendarException.Unavailable(0, "timeout",
                        "No time was left for Google " + operation, null, unanswered);
            }
            try {
                return call.execute(deadline);
            } catch (IOException e) {
                if (statusOf(e) == 401 && !tokenRefreshed) {
                    tokenRefreshed = true;
                    refreshAccessToken(operation, deadline, unanswered);
                    continue;
                }
                unanswered |= statusOf(e) == 0 || statusOf(e) >= 500;
                GoogleCalendarException failure = classify(operation, e, unanswered);
                Optional<Duration> pause = isRetryable(e)
                        ? backoff.nextPause(retryAfter(e).orElse(Duration.ZERO)) : Optional.empty();
                if (pause.isEmpty()) {
                    throw failure;
                }
                int attemptNo = attempt;
                LOG.warning(() -> "Google " + operation + " failed (status " + failure.status() + ", "
                        + failure.reason() + "), retry " + attemptNo + " in " + pause.get().toMillis() + " ms");
                sleeper.sleep(pause.get());
            }
        }
    }

    /** Google answered 401: the access token expired or was revoked. A new one, then one more attempt. */
    private void refreshAccessToken(String operation, Instant deadline, boolean unanswered) {
        LOG.info(() -> "Google " + operation + " answered 401; fetching a new access token and retrying once");
        try {
            accessToken.refresh(deadline);
        } catch (IOException refreshFailed) {
            throw new GoogleCalendarException.Unavailable(0, "tokenRefreshFailed", "Google " + operation
                    + " answered 401 and no new access token could be fetched", refreshFailed, unanswered);
        }
    }

    private static boolean isRetryable(IOException e) {
        int status = statusOf(e);
        return status == 0 || TRANSIENT_STATUSES.contains(status)
                || (status == 403 && RATE_LIMIT_REASONS.contains(reason(e)));
    }

    /** Google's HTTP status, or 0 when no response arrived (refused, reset, dropped, timed out). */
    private static int statusOf(IOException e) {
        return e instanceof HttpResponseException http ? http.getStatusCode() : 0;
    }

    /**
     * @param mayHaveBeenApplied an attempt of this call got no answer or a 5xx, so Google may have
     *                           carried it out
     */
    GoogleCalendarException classify(String operation, IOException e, boolean mayHaveBeenApplied) {
        if (!(e instanceof HttpResponseException http)) {
            return new GoogleCalendarException.Unavailable(0, "network", "Google " + operation + " got no response",
                    e, true);
        }
        int status = http.getStatusCode();
        String reason = reason(e);
        String message = "Google " + operation + " answered " + status + (reason == null ? "" : " " + reason);
        return switch (status) {
            case 404 -> new GoogleCalendarException.NotFound(reason, message, e);
            case 410 -> new GoogleCalendarException.Gone(reason, message, e);
            case 409 -> new GoogleCalendarException.Duplicate(reason, message, e);
            case 412 -> new GoogleCalendarException.PreconditionFailed(reason, message, e);
            case 429 -> new GoogleCalendarException.RateLimited(status, reason, retryAfter(e).orElse(RATE_LIMIT_WAIT),
                    message, e, mayHaveBeenApplied);
            default -> {
                if (status == 403 && RATE_LIMIT_REASONS.contains(reason)) {
                    yield new GoogleCalendarException.RateLimited(status, reason,
                            retryAfter(e).orElse(RATE_LIMIT_WAIT), message, e, mayHaveBeenApplied);
                }
                if (status == 403 && "quotaExceeded".equals(reason)) {
                    yield new GoogleCalendarException.RateLimited(status, reason,
                            retryAfter(e).orElse(QUOTA_EXCEEDED_WAIT), message, e, mayHaveBeenApplied);
                }
                yield status >= 500
                        ? new GoogleCalendarException.Unavailable(status, reason, message, e, true)
                        : new GoogleCalendarException.Rejected(status, reason, message, e, mayHaveBeenApplied);
            }
        };
    }

    /** Google's {@code Retry-After}: delay-seconds or an HTTP date. */
    private Optional<Duration> retryAfter(IOException e) {
        if (!(e instanceof HttpResponseException http) || http.getHeaders() == null
                || http.getHeaders().getRetryAfter() == null) {
            return Optional.empty();
        }
        String value = http.getHeaders().getRetryAfter().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof GoogleJsonResponseException json) {
            GoogleJsonError details = json.getDetails();
            if (details != null && details.getErrors() != null && !details.getErrors().isEmpty()) {
                return details.getErrors().getFirst().getReason();
            }
        }
        return null;
    }
}
