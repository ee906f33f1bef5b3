package dev.pipedesk.google;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Runs one Google call with the retry policy: 429, rate-limit 403s, 5xx and network failures
 * are retried with truncated exponential backoff and jitter, bounded in attempts and time;
 * everything else becomes a typed {@link GoogleCalendarException} at once.
 *
 * <p>Not the Google client's own backoff ({@code HttpBackOffUnsuccessfulResponseHandler} with
 * {@code ExponentialBackOff}): its retry decision sees only the response, so telling a 403
 * {@code rateLimitExceeded} from a 403 {@code forbidden} would consume the error body the typed
 * exception needs, and its budget may start a pause that ends past {@code GOOGLE_RETRY_MAX_ELAPSED_MS}.
 */
public final class GoogleCalls {
    private static final Logger LOG = Logger.getLogger(GoogleCalls.class.getName());
    private static final Set<String> RATE_LIMIT_REASONS = Set.of("rateLimitExceeded", "userRateLimitExceeded");
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 500, 502, 503, 504);

    /** A Google request: {@code AbstractGoogleClientRequest::execute} fits. */
    @FunctionalInterface
    public interface Call<T> {
        T execute() throws IOException;
    }

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;

    public GoogleCalls(RetryPolicy policy, Sleeper sleeper, Clock clock) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public <T> T run(String operation, Call<T> call) {
        // Attempts include the first one, so the retries are one fewer.
        Backoff backoff = new Backoff(policy, policy.maxAttempts() - 1, clock);
        for (int attempt = 1; ; attempt++) {
            try {
                return call.execute();
            } catch (IOException e) {
                GoogleCalendarException failure = classify(operation, e);
                Optional<Duration> pause = failure instanceof GoogleCalendarException.Unavailable && isRetryable(e)
                        ? backoff.nextPause() : Optional.empty();
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

    private static boolean isRetryable(IOException e) {
        if (e instanceof HttpResponseException http) {
            int status = http.getStatusCode();
            return TRANSIENT_STATUSES.contains(status) || (status == 403 && RATE_LIMIT_REASONS.contains(reason(e)));
        }
        return true; // no response at all: connection refused/reset, timeout
    }

    static GoogleCalendarException classify(String operation, IOException e) {
        if (!(e instanceof HttpResponseException http)) {
            return new GoogleCalendarException.Unavailable(0, "network", "Google " + operation + " got no response", e);
        }
        int status = http.getStatusCode();
        String reason = reason(e);
        String message = "Google " + operation + " answered " + status + (reason == null ? "" : " " + reason);
        return switch (status) {
            case 404 -> new GoogleCalendarException.NotFound(reason, message, e);
            case 410 -> new GoogleCalendarException.Gone(reason, message, e);
            case 409 -> new GoogleCalendarException.Duplicate(reason, message, e);
            case 412 -> new GoogleCalendarException.PreconditionFailed(reason, message, e);
            default -> isRetryable(e) || status >= 500 || "quotaExceeded".equals(reason)
                    ? new GoogleCalendarException.Unavailable(status, reason, message, e)
                    : new GoogleCalendarException.Rejected(status, reason, message, e);
        };
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
