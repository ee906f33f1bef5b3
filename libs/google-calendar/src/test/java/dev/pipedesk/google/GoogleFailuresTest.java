package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.Ids;
import dev.pipedesk.emulator.calendar.CallMatcher;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.emulator.calendar.ReceivedCall;
import dev.pipedesk.localaws.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway's answers to Google's failures, against the Google Calendar emulator through the
 * real google-api-services-calendar client and service-account credentials. Pauses are recorded
 * on a clock that only they move: nothing here waits.
 */
@Tag("integration")
class GoogleFailuresTest {
    private static final int ATTEMPTS = 3;
    private static final Instant START = Instant.parse("2031-03-03T10:00:00Z");
    private static GoogleCalendarEmulator emulator;

    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<Duration> pauses = new ArrayList<>();
    private GoogleCalendarGateway gateway;

    @BeforeAll
    static void startEmulator() {
        emulator = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void freshGateway() {
        control().reset();
        gateway = EmulatorGateways.on(emulator, "calendar@example.com",
                Map.of("GOOGLE_RETRY_MAX_ATTEMPTS", Integer.toString(ATTEMPTS)), pauses, clock);
    }

    private static EmulatorControl control() {
        return emulator.control();
    }

    private static EventDraft draft(String summary) {
        return new EventDraft(Ids.newGoogleEventId(), summary, null, START, START.plusSeconds(1800), List.of(), null,
                Map.of(GoogleCalendar.REQUEST_MARKER, "request-" + summary));
    }

    private static EventPatch rename(String summary) {
        return new EventPatch(FieldChange.set(summary), FieldChange.keep(), FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.keep());
    }

    private static List<Integer> statusesOf(String method, String pathPattern) {
        return control().calls(method, pathPattern).stream().map(ReceivedCall::status).toList();
    }

    @Test
    void aRevokedAccessTokenIsReplacedOnceAndTheCallSucceeds() {
        GoogleEventSnapshot created = gateway.insert("primary", draft("Before revocation"));
        control().revokeAccessTokens();

        GoogleEventSnapshot read = gateway.get("primary", created.id());

        assertThat(read.summary()).isEqualTo("Before revocation");
        assertThat(statusesOf("GET", "/events/[a-v0-9]+$")).containsExactly(401, 200);
        // The gateway's first token, then the one that replaced the revoked token.
        assertThat(control().calls("POST", "^/token$")).hasSize(2);
        assertThat(pauses).isEmpty();
    }

    @Test
    void a401ThatOutlivesTheNewTokenIsRejectedAfterOneRefresh() {
        GoogleEventSnapshot created = gateway.insert("primary", draft("Refused twice"));
        control().failNextAuth(2);

        GoogleCalendarException.Rejected rejected = catchThrowableOfType(GoogleCalendarException.Rejected.class,
                () -> gateway.patch("primary", created.id(), rename("Never"), created.etag()));

        assertThat(rejected).isNotNull();
        assertThat(rejected.status()).isEqualTo(401);
        assertThat(statusesOf("PATCH", "/events/")).containsExactly(401, 401);
        assertThat(control().event("primary", created.id()).orElseThrow().get("summary").asString())
                .isEqualTo("Refused twice");
    }

    @Test
    void a429WithRetryAfterLongerThanTheBudgetEndsRateLimitedAtOnceWithGooglesWait() {
        control().failNext(1, CallMatcher.of("POST", "/events$"), 429, "rateLimitExceeded", null, Duration.ofSeconds(120));

        GoogleCalendarException.RateLimited limited = catchThrowableOfType(GoogleCalendarException.RateLimited.class,
                () -> gateway.insert("primary", draft("Too fast")));

        assertThat(limited).isNotNull();
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(limited.mayHaveBeenApplied()).isFalse();
        assertThat(statusesOf("POST", "/events$")).containsExactly(429);
        assertThat(control().events("primary")).isEmpty();
    }

    @Test
    void rateLimit403sOnEveryAttemptEndRateLimitedWithTheDefaultWait() {
        control().failNext(ATTEMPTS, CallMatcher.of("POST", "/events$"), 403, "userRateLimitExceeded", null, null);

        GoogleCalendarException.RateLimited limited = catchThrowableOfType(GoogleCalendarException.RateLimited.class,
                () -> gateway.insert("primary", draft("Per-user limit")));

        assertThat(limited).isNotNull();
        assertThat(limited.status()).isEqualTo(403);
        assertThat(limited.retryAfter()).isEqualTo(GoogleCalls.RATE_LIMIT_WAIT);
        assertThat(pauses).hasSize(ATTEMPTS - 1);
    }

    @Test
    void aRateLimitWithAShortRetryAfterIsWaitedOutAndRetried() {
        control().failNext(1, CallMatcher.of("POST", "/events$"), 429, "rateLimitExceeded", null, Duration.ofSeconds(4));

        GoogleEventSnapshot created = gateway.insert("primary", draft("Waited out"));

        assertThat(created.summary()).isEqualTo("Waited out");
        assertThat(pauses).containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void anInsertWhoseAnswerWasLostOnceIsFoundByItsRetry() {
        control().dropResponseAfterCommit(1, CallMatcher.of("POST", "/events$"));
        EventDraft draft = draft("Lost once");

        GoogleEventSnapshot created = gateway.insert("primary", draft);

        assertThat(created.id()).isEqualTo(draft.eventId());
        assertThat(statusesOf("POST", "/events$")).containsExactly(0, 409);
        assertThat(control().events("primary")).hasSize(1);
    }

    @Test
    void anInsertWhoseEveryAnswerWasLostMayHaveBeenApplied() {
        control().dropResponseAfterCommit(ATTEMPTS, CallMatcher.of("POST", "/events$"));

        GoogleCalendarException.Unavailable lost = catchThrowableOfType(GoogleCalendarException.Unavailable.class,
                () -> gateway.insert("primary", draft("Lost every time")));

        assertThat(lost).isNotNull();
        assertThat(lost.mayHaveBeenApplied()).isTrue();
        assertThat(control().events("primary")).hasSize(1);
    }

    @Test
    void aPatchWhoseEveryAnswerWasLostMayHaveBeenApplied() {
        GoogleEventSnapshot created = gateway.insert("primary", draft("Patched in the dark"));
        control().dropResponseAfterCommit(1, CallMatcher.of("PATCH", "/events/"));
        control().failNext(ATTEMPTS - 1, CallMatcher.of("PATCH", "/events/"), 503, "backendError");

        GoogleCalendarException.Unavailable lost = catchThrowableOfType(GoogleCalendarException.Unavailable.class,
                () -> gateway.patch("primary", created.id(), rename("Renamed"), created.etag()));

        assertThat(lost).isNotNull();
        assertThat(lost.mayHaveBeenApplied()).isTrue();
        assertThat(gateway.get("primary", created.id()).summary()).isEqualTo("Renamed");
    }
}
