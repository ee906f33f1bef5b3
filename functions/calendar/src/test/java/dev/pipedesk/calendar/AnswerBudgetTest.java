package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EventView;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.localaws.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The calendar function answers well inside API Gateway's 30 s: its answer budget is checked
 * when it starts, and a request whose Google never answers, or keeps rate-limiting, or whose
 * Meet conference never leaves pending, still answers within it. The real gateway and HTTP
 * client run against a scripted Google on a test clock, so nothing waits.
 */
class AnswerBudgetTest {
    private static final Instant START = Instant.parse("2030-01-15T09:00:00Z");
    private static final Principal SALES = new Principal("sales-1", "sales@example.com", Role.SALES);
    private static final String PENDING_MEET_EVENT = """
            {"id": "budget0event1", "etag": "\\"1\\"", "status": "confirmed", "summary": "Budgeted",
             "start": {"dateTime": "2030-02-01T14:00:00Z"}, "end": {"dateTime": "2030-02-01T15:00:00Z"},
             "conferenceData": {"createRequest": {"requestId": "r", "status": {"statusCode": "pending"}}}}""";

    private final TestClock clock = new TestClock(START);
    private final InMemoryEventStore store = new InMemoryEventStore();

    private static Env env(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "GOOGLE_SERVICE_ACCOUNT_JSON", "{}",
                "GOOGLE_CALENDAR_ROOT_URL", "https://calendar.test/"));
        values.putAll(overrides);
        return new Env(values);
    }

    private static AnswerBudget budget(Map<String, String> overrides) {
        Env env = env(overrides);
        return AnswerBudget.of(GoogleCalendarSettings.fromEnv(env), env);
    }

    /** The calendar API as CalendarApplication wires it, on the scripted Google and the test clock. */
    private ApiHandler calendarApi(ScriptedGoogle.Script google) {
        GoogleCalendarSettings settings = GoogleCalendarSettings.fromEnv(env(Map.of()));
        GoogleCredentials token = GoogleCredentials.create(new AccessToken("test-token", Date.from(START.plusSeconds(3600))));
        GoogleCalendarGateway gateway = new GoogleCalendarGateway(settings, new ScriptedGoogle(clock, google), token,
                clock::advance, clock);
        CalendarService service = new CalendarService(store, gateway, WritableCalendars.primaryOnly(), clock);
        return AnswerBudget.of(settings, env(Map.of())).appliedTo(new CalendarRoutes(service, null), clock);
    }

    private static HttpResponse createMeeting(ApiHandler api) {
        String body = """
                {"summary": "Budgeted", "start_time": "2030-02-01T14:00:00Z", "end_time": "2030-02-01T15:00:00Z",
                 "create_meet_link": true}""";
        return api.handle(new HttpRequest("POST /api/calendar/events", "POST", "/api/calendar/events", null, null,
                Map.of(), body, "req-1", "203.0.113.7", "test", null), new ApiHandler.Caller(SALES, false));
    }

    private Duration elapsed() {
        return Duration.between(START, clock.instant());
    }

    @Test
    void theDefaultsAddUpToLessThan25Seconds() {
        AnswerBudget defaults = budget(Map.of());

        assertThat(defaults.total()).isEqualTo(Duration.ofSeconds(24)).isLessThan(AnswerBudget.LIMIT);
        assertThat(defaults.deadlineFor(START)).isEqualTo(START.plusSeconds(21));
    }

    @Test
    void aConfigurationThatAddsUpTo25SecondsOrMoreIsRefusedNamingEveryPart() {
        assertThatThrownBy(() -> budget(Map.of("GOOGLE_RETRY_MAX_ELAPSED_MS", "13000")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll("GOOGLE_RETRY_MAX_ELAPSED_MS=13000", "MEET_POLL_MAX_ELAPSED_MS=6000",
                        "DATABASE_CONNECT_TIMEOUT_MS=3000", "DATABASE_STATEMENT_TIMEOUT_MS=3000", "25000 ms");
        assertThatThrownBy(() -> budget(Map.of("DATABASE_STATEMENT_TIMEOUT_MS", "0")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("positive");
    }

    @Test
    void aCreateWhoseGoogleNeverAnswersAnswersWithinTheBudget() {
        ApiHandler api = calendarApi(request -> new ScriptedGoogle(clock, null).hang(request));

        ApiException failed = catchThrowableOfType(ApiException.class, () -> createMeeting(api));

        assertThat(failed).isNotNull();
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.UPSTREAM_FAILED);
        assertThat(elapsed()).isLessThanOrEqualTo(budget(Map.of()).total());
        assertThat(store.rows()).isEmpty();
    }

    @Test
    void aCreateThatGoogleKeepsRateLimitingAnswers503WithinTheGoogleBudget() {
        ApiHandler api = calendarApi(request -> ScriptedGoogle.json(429, """
                {"error": {"code": 429, "message": "Rate Limit Exceeded",
                 "errors": [{"domain": "usageLimits", "reason": "rateLimitExceeded", "message": "Rate Limit Exceeded"}]}}"""));

        ApiException limited = catchThrowableOfType(ApiException.class, () -> createMeeting(api));

        assertThat(limited).isNotNull();
        assertThat(limited.errorCode()).isEqualTo(ErrorCode.UPSTREAM_RATE_LIMITED);
        assertThat(HttpResponse.error(limited).headers()).containsEntry("Retry-After", "30");
        assertThat(elapsed()).isLessThanOrEqualTo(budget(Map.of()).google());
    }

    @Test
    void aMeetConferenceThatStaysPendingWhileGoogleStopsAnsweringIsStoredPendingWithinTheBudget() {
        ScriptedGoogle.Script google = request -> request.method().equals("POST")
                ? ScriptedGoogle.json(200, PENDING_MEET_EVENT)
                : new ScriptedGoogle(clock, null).hang(request);

        HttpResponse created = createMeeting(calendarApi(google));

        assertThat(created.status()).isEqualTo(201);
        assertThat(((EventView) created.body()).conferenceStatus()).isEqualTo(ConferenceStatus.PENDING.wire());
        assertThat(elapsed()).isLessThanOrEqualTo(budget(Map.of()).meetPoll());
    }
}
