package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GoogleCallsTest {
    private final List<Duration> pauses = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final Sleeper sleeper = pause -> {
        pauses.add(pause);
        clock.advance(pause);
    };

    private GoogleCalls calls(int attempts, Duration maxElapsed) {
        return new GoogleCalls(new RetryPolicy(attempts, Duration.ofMillis(100), Duration.ofSeconds(2), maxElapsed),
                sleeper, clock);
    }

    private static GoogleJsonResponseException google(int status, String reason) {
        GoogleJsonError.ErrorInfo info = new GoogleJsonError.ErrorInfo();
        info.setReason(reason);
        GoogleJsonError details = new GoogleJsonError();
        details.setCode(status);
        details.setErrors(List.of(info));
        return new GoogleJsonResponseException(new HttpResponseException.Builder(status, "status " + status, new HttpHeaders()), details);
    }

    /** Fails with the given exceptions in turn, then answers "ok". */
    private static GoogleCalls.Call<String> failing(IOException... failures) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            int n = calls.getAndIncrement();
            if (n < failures.length) {
                throw failures[n];
            }
            return "ok";
        };
    }

    @Test
    void retriesServerErrorsRateLimitsAndNetworkFailuresWithGrowingPauses() {
        String result = calls(5, Duration.ofMinutes(1)).run("events.insert", failing(
                google(503, "backendError"), google(429, "rateLimitExceeded"),
                google(403, "userRateLimitExceeded"), new ConnectException("refused")));

        assertThat(result).isEqualTo("ok");
        assertThat(pauses).hasSize(4);
        assertThat(pauses.get(3)).isGreaterThan(pauses.get(0));
        assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void givesUpAfterTheLastAttemptAsUnavailable() {
        assertThatThrownBy(() -> calls(3, Duration.ofMinutes(1)).run("events.get", failing(
                google(500, "backendError"), google(500, "backendError"), google(500, "backendError"))))
                .isInstanceOfSatisfying(GoogleCalendarException.Unavailable.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.reason()).isEqualTo("backendError");
                });
        assertThat(pauses).hasSize(2);
    }

    @Test
    void stopsRetryingWhenTheTimeBudgetIsSpent() {
        assertThatThrownBy(() -> calls(50, Duration.ofMillis(500)).run("events.get", failing(
                google(503, "a"), google(503, "b"), google(503, "c"), google(503, "d"), google(503, "e"), google(503, "f"))))
                .isInstanceOf(GoogleCalendarException.Unavailable.class);
        assertThat(pauses.stream().mapToLong(Duration::toMillis).sum()).isLessThanOrEqualTo(500);
    }

    @Test
    void answersThatNeedACodePathAreNotRetried() {
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(404, "notFound"))))
                .isInstanceOf(GoogleCalendarException.NotFound.class);
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(410, "deleted"))))
                .isInstanceOf(GoogleCalendarException.Gone.class);
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(409, "duplicate"))))
                .isInstanceOf(GoogleCalendarException.Duplicate.class);
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(412, "conditionNotMet"))))
                .isInstanceOf(GoogleCalendarException.PreconditionFailed.class);
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(403, "forbiddenForServiceAccounts"))))
                .isInstanceOfSatisfying(GoogleCalendarException.Rejected.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(400, "invalid"))))
                .isInstanceOf(GoogleCalendarException.Rejected.class);
        assertThat(pauses).isEmpty();
    }

    @Test
    void quotaExhaustionIsNotHammered() {
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(403, "quotaExceeded"))))
                .isInstanceOf(GoogleCalendarException.Unavailable.class);
        assertThat(pauses).isEmpty();
    }
}
