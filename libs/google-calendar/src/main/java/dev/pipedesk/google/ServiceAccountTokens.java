package dev.pipedesk.google;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.pipedesk.core.RequestDeadline;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The service account's OAuth access token, fetched within a deadline. The auth library fetches
 * tokens with its own timeouts and retries (tens of seconds when the token endpoint hangs); here
 * the fetch runs on a virtual thread and the caller waits only until its deadline. A fetch that
 * outlasts it goes on in the background and the next call uses its token.
 */
final class ServiceAccountTokens implements GoogleCalls.AccessToken {
    /** A token valid for longer than this is used as it is (the auth library renews closer to expiry). */
    private static final Duration STILL_FRESH = Duration.ofMinutes(5);
    private static final ExecutorService FETCHES = Executors.newVirtualThreadPerTaskExecutor();

    @FunctionalInterface
    private interface Fetch {
        void run() throws IOException;
    }

    private final Supplier<GoogleCredentials> credentials;
    private final Clock clock;

    ServiceAccountTokens(GoogleCredentials credentials, Clock clock) {
        this(() -> credentials, clock);
    }

    /** @param credentials the current credentials (a rotated key gives new ones, which fetch their own token) */
    ServiceAccountTokens(Supplier<GoogleCredentials> credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Makes sure a valid token is there before a call, fetching one (by {@code deadline}) when needed. */
    void ensureFresh(Instant deadline) throws IOException {
        GoogleCredentials current = credentials.get();
        AccessToken token = current.getAccessToken();
        if (token != null && token.getExpirationTime() != null
                && token.getExpirationTime().toInstant().isAfter(clock.instant().plus(STILL_FRESH))) {
            return;
        }
        fetchBy(deadline, current::refreshIfExpired);
    }

    @Override
    public void refresh(Instant deadline) throws IOException {
        fetchBy(deadline, credentials.get()::refresh);
    }

    private void fetchBy(Instant deadline, Fetch fetch) throws IOException {
        Duration left = RequestDeadline.timeLeft(deadline, clock);
        if (left.isZero()) {
            throw new SocketTimeoutException("No time was left to fetch a Google access token");
        }
        Future<Void> fetching = FETCHES.submit(() -> {
            fetch.run();
            return null;
        });
        try {
            fetching.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("No Google access token within " + left.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("Fetching a Google access token failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while fetching a Google access token", e);
        }
    }
}
