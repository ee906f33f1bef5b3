package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import dev.pipedesk.core.RequestDeadline;
import dev.pipedesk.localaws.TestClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GoogleCallsTest {
    private final List<Duration> pauses = new ArrayList<>();
    private final List<Instant> attemptDeadlines = new ArrayList<>();
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final Sleeper sleeper = pause -> {
        pauses.add(pause);
        clock.advance(pause);
    };
    private final AtomicInteger tokenRefreshes = new AtomicInteger();
    private final GoogleCalls.AccessToken accessToken = deadline -> tokenRefreshes.incrementAndGet();

    private GoogleCalls calls(int attempts, Duration maxElapsed) {
        return calls(attempts, maxElapsed, accessToken);
    }

    private GoogleCalls calls(int attempts, Duration maxElapsed, GoogleCalls.AccessToken token) {
        return new GoogleCalls(new RetryPolicy(attempts, Duration.ofMillis(100), Duration.ofSeconds(2), maxElapsed),
                token, sleeper, clock);
    }

    private static GoogleJsonResponseException google(int status, String reason) {
        return google(status, reason, new HttpHeaders());
    }

    private static GoogleJsonResponseException google(int status, String reason, HttpHeaders headers) {
        GoogleJsonError.ErrorInfo info = new GoogleJsonError.ErrorInfo();
        info.setReason(reason);
        GoogleJsonError details = new GoogleJsonError();
        details.setCode(status);
        details.setErrors(List.of(info));
        return new GoogleJsonResponseException(new HttpResponseException.Builder(status, "status " + status, headers), details);
    }

    private static GoogleJsonResponseException rateLimited(int status, String reason, String retryAfter) {
        return google(status, reason, new HttpHeaders().setRetryAfter(retryAfter));
    }

    /** Fails with the given exceptions in turn, then answers "ok"; records each attempt's deadline. */
    private GoogleCalls.Call<String> failing(IOException... failures) {
        AtomicInteger calls = new AtomicInteger();
        return deadline -> {
            attemptDeadlines.add(deadline);
            int n = calls.getAndIncrement();
            if (n < failures.length) {
                throw failures[n];
            }
            return "ok";
        };
    }

    /** Google never answers: every attempt runs until its deadline, then times out. */
    private GoogleCalls.Call<String> hanging() {
        return deadline -> {
            attemptDeadlines.add(deadline);
            clock.advance(Duration.between(clock.instant(), deadline));
            throw new SocketTimeoutException("Read timed out");
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
        assertThatThrownBy(() -> calls(50, Duration.ofMillis(1500)).run("events.get", failing(
                google(503, "a"), google(503, "b"), google(503, "c"), google(503, "d"), google(503, "e"), google(503, "f"))))
                .isInstanceOf(GoogleCalendarException.Unavailable.class);
        assertThat(pauses.stream().mapToLong(Duration::toMillis).sum())
                .isLessThanOrEqualTo(1500 - GoogleCalls.MIN_ATTEMPT.toMillis());
    }

    @Test
    void aCallWhoseAttemptsAllHangNeverOutlastsItsBudget() {
        Instant start = clock.instant();

        assertThatThrownBy(() -> calls(5, Duration.ofSeconds(12)).run("events.insert", hanging()))
                .isInstanceOfSatisfying(GoogleCalendarException.Unavailable.class,
                        e -> assertThat(e.mayHaveBeenApplied()).isTrue());

        assertThat(attemptDeadlines).containsOnly(start.plusSeconds(12));
        assertThat(Duration.between(start, clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void insideARequestTheCallEndsByTheRequestsDeadlineWhenThatComesFirst() {
        Instant requestDeadline = clock.instant().plusSeconds(3);

        assertThatThrownBy(() -> RequestDeadline.callWithin(requestDeadline,
                () -> calls(5, Duration.ofSeconds(12)).run("events.get", hanging())))
                .isInstanceOf(GoogleCalendarException.Unavailable.class);

        assertThat(attemptDeadlines).containsOnly(requestDeadline);
        assertThat(clock.instant()).isEqualTo(requestDeadline);
    }

    @Test
    void noAttemptStartsOnceTheRequestsDeadlineHasPassed() {
        assertThatThrownBy(() -> RequestDeadline.callWithin(clock.instant(),
                () -> calls(5, Duration.ofSeconds(12)).run("events.get", failing())))
                .isInstanceOfSatisfying(GoogleCalendarException.Unavailable.class, e -> {
                    assertThat(e.reason()).isEqualTo("timeout");
                    assertThat(e.mayHaveBeenApplied()).isFalse();
                });
        assertThat(attemptDeadlines).isEmpty();
    }

    @Test
    void aRefusedAccessTokenIsReplacedOnceAndTheCallRetriedAtOnce() {
        String result = calls(5, Duration.ofMinutes(1)).run("events.insert", failing(google(401, "authError")));

        assertThat(result).isEqualTo("ok");
        assertThat(tokenRefreshes).hasValue(1);
        assertThat(attemptDeadlines).hasSize(2);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aSecond401AfterANewTokenIsRejected() {
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("events.get", failing(
                google(401, "authError"), google(401, "authError"))))
                .isInstanceOfSatisfying(GoogleCalendarException.Rejected.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(tokenRefreshes).hasValue(1);
        assertThat(attemptDeadlines).hasSize(2);
    }

    @Test
    void aTokenThatCannotBeRenewedMakesTheCallUnavailable() {
        GoogleCalls.AccessToken tokenEndpointDown = deadline -> {
            throw new ConnectException("token endpoint refused");
        };

        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1), tokenEndpointDown).run("events.get",
                failing(google(401, "authError"))))
                .isInstanceOfSatisfying(GoogleCalendarException.Unavailable.class,
                        e -> assertThat(e.reason()).isEqualTo("tokenRefreshFailed"));
        assertThat(attemptDeadlines).hasSize(1);
    }

    @Test
    void aRateLimitWaitsAtLeastAsLongAsGoogleAsks() {
        String result = calls(5, Duration.ofMinutes(1)).run("events.insert", failing(
                rateLimited(429, "rateLimitExceeded", "3")));

        assertThat(result).isEqualTo("ok");
        assertThat(pauses).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aRateLimitThatOutlastsTheBudgetEndsAsRateLimitedWithGooglesRetryAfter() {
        assertThatThrownBy(() -> calls(5, Duration.ofSeconds(10)).run("events.insert", failing(
                rateLimited(429, "rateLimitExceeded", "120"))))
                .isInstanceOfSatisfying(GoogleCalendarException.RateLimited.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120));
                    assertThat(e.mayHaveBeenApplied()).isFalse();
                });
        assertThat(pauses).isEmpty();
    }

    @Test
    void aRateLimit403WithoutRetryAfterEndsRateLimitedWithTheDefaultWait() {
        assertThatThrownBy(() -> calls(2, Duration.ofMinutes(1)).run("events.patch", failing(
                google(403, "userRateLimitExceeded"), google(403, "rateLimitExceeded"))))
                .isInstanceOfSatisfying(GoogleCalendarException.RateLimited.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("rateLimitExceeded");
                    assertThat(e.retryAfter()).isEqualTo(GoogleCalls.RATE_LIMIT_WAIT);
                });
        assertThat(pauses).hasSize(1);
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
    void quotaExhaustionIsNotHammeredAndAsksForALongWait() {
        assertThatThrownBy(() -> calls(5, Duration.ofMinutes(1)).run("x", failing(google(403, "quotaExceeded"))))
                .isInstanceOfSatisfying(GoogleCalendarException.RateLimited.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(GoogleCalls.QUOTA_EXCEEDED_WAIT));
        assertThat(pauses).isEmpty();
    }

    @Test
    void aFailureAfterAnAttemptThatGotNoAnswerMayHaveBeenApplied() {
        assertThatThrownBy(() -> calls(2, Duration.ofMinutes(1)).run("events.insert", failing(
                new SocketTimeoutException("Read timed out"), google(400, "invalid"))))
                .isInstanceOfSatisfying(GoogleCalendarException.Rejected.class,
                        e -> assertThat(e.mayHaveBeenApplied()).isTrue());
        assertThatThrownBy(() -> calls(1, Duration.ofMinutes(1)).run("events.insert", failing(google(400, "invalid"))))
                .isInstanceOfSatisfying(GoogleCalendarException.Rejected.class,
                        e -> assertThat(e.mayHaveBeenApplied()).isFalse());
    }
}
