package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EventView;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.http.javanet.NetHttpTransport;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.ErrorBody;
import dev.pipedesk.emulator.calendar.CallMatcher;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Google's failures as the calendar API answers them, wired as CalendarApplication wires it
 * (answer budget, deadline-bound pool, outbox) on real PostgreSQL, ElasticMQ and the Google
 * Calendar emulator driven by the real google-api-services-calendar client. Backoff pauses are
 * skipped: nothing here waits on purpose.
 */
@Tag("integration")
class GoogleFailuresTest {
    @RegisterExtension
    static final CalendarBackends backends = new CalendarBackends();

    private static final int ATTEMPTS = 3;
    private static final Map<String, Object> SALES = Map.of("userId", "google-failures-sales",
            "email", "sales@example.com", "role", "sales");

    private ApiFunction api;

    @BeforeEach
    void calendarFunction() {
        control().reset();
        Env env = new Env(backends.googleEnvironment(Map.of("GOOGLE_RETRY_MAX_ATTEMPTS", Integer.toString(ATTEMPTS))));
        GoogleCalendarSettings settings = GoogleCalendarSettings.fromEnv(env);
        AnswerBudget budget = AnswerBudget.of(settings, env);
        var dataSource = new DeadlineBoundDataSource(backends.dataSource(), budget.databaseStatement(),
                Clock.systemUTC());
        var gateway = new GoogleCalendarGateway(settings, new NetHttpTransport(),
                GoogleCalendarGateway.credentials(settings), pause -> { }, Clock.systemUTC());
        var service = new CalendarService(backends.eventStore(dataSource), gateway, WritableCalendars.primaryOnly(),
                Clock.systemUTC());
        api = new ApiFunction(RoutePolicy.standard(), budget.appliedTo(new CalendarRoutes(service, null), Clock.systemUTC()));
    }

    private static EmulatorControl control() {
        return backends.google();
    }

    private HttpResponse call(String routeKey, String path, Map<String, String> pathParameters, String body) {
        return api.handle(new HttpRequest(routeKey, routeKey.substring(0, routeKey.indexOf(' ')), path, pathParameters,
                null, Map.of(), body, "req-google-failures", "203.0.113.7", "test", SALES));
    }

    private HttpResponse create(String summary) {
        return call("POST /api/calendar/events", "/api/calendar/events", null, """
                {"summary": "%s", "start_time": "2031-06-01T10:00:00Z", "end_time": "2031-06-01T11:00:00Z",
                 "create_meet_link": true}""".formatted(summary));
    }

    private HttpResponse rename(EventView meeting, String summary) {
        return call("PATCH /api/calendar/events/{id}", "/api/calendar/events/" + meeting.id(),
                Map.of("id", meeting.id()), "{\"summary\": \"%s\"}".formatted(summary));
    }

    private static EventView meeting(HttpResponse response) {
        return (EventView) response.body();
    }

    private static String errorCode(HttpResponse response) {
        return ((ErrorBody) response.body()).error().code();
    }

    private static int rowsOf(String summary) throws SQLException {
        try (Connection c = backends.dataSource().getConnection();
             Statement query = c.createStatement();
             ResultSet rs = query.executeQuery("select count(*) from calendar_events where summary = '" + summary + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aCreateWhoseEveryAnswerWasLostAdoptsTheEventGoogleMade() throws SQLException {
        control().dropResponseAfterCommit(ATTEMPTS, CallMatcher.of("POST", "/events$"));

        HttpResponse created = create("Created in the dark");

        assertThat(created.status()).isEqualTo(201);
        assertThat(meeting(created).meetLink()).startsWith("https://meet.google.com/");
        assertThat(control().events("primary")).singleElement()
                .satisfies(event -> assertThat(event.get("id").asString()).isEqualTo(meeting(created).googleEventId()));
        assertThat(rowsOf("Created in the dark")).isEqualTo(1);
        assertThat(PublishedAudit.actionsOf(backends.outbox(), meeting(created).id())).containsExactly("create");
    }

    @Test
    void aPatchWhoseEveryAnswerWasLostIs200WithTheChangeGoogleHolds() {
        EventView before = meeting(create("Patched in the dark"));
        control().dropResponseAfterCommit(ATTEMPTS, CallMatcher.of("PATCH", "/events/"));

        HttpResponse renamed = rename(before, "Renamed in the dark");

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(meeting(renamed).summary()).isEqualTo("Renamed in the dark");
        assertThat(control().event("primary", before.googleEventId()).orElseThrow().get("summary").asString())
                .isEqualTo("Renamed in the dark");
        assertThat(PublishedAudit.actionsOf(backends.outbox(), before.id())).containsExactly("create", "update");
    }

    @Test
    void googleRateLimitingACreateIs503WithGooglesRetryAfterAndChangesNothing() throws SQLException {
        control().failNext(1, CallMatcher.of("POST", "/events$"), 429, "rateLimitExceeded", null, Duration.ofSeconds(120));

        HttpResponse limited = create("Rate limited");

        assertThat(limited.status()).isEqualTo(503);
        assertThat(limited.headers()).containsEntry("Retry-After", "120");
        assertThat(errorCode(limited)).isEqualTo("upstream_rate_limited");
        assertThat(control().events("primary")).isEmpty();
        assertThat(rowsOf("Rate limited")).isZero();
    }

    @Test
    void rateLimit403sThroughEveryRetryOfAPatchAre503AndLeaveTheMeetingAsItWas() {
        EventView before = meeting(create("Patched too fast"));
        control().failNext(ATTEMPTS, CallMatcher.of("PATCH", "/events/"), 403, "userRateLimitExceeded", null, null);

        HttpResponse limited = rename(before, "Never");

        assertThat(limited.status()).isEqualTo(503);
        assertThat(limited.headers()).containsEntry("Retry-After", "30");
        assertThat(control().event("primary", before.googleEventId()).orElseThrow().get("summary").asString())
                .isEqualTo("Patched too fast");
    }

    @Test
    void aRevokedAccessTokenCostsOneNewTokenNotTheRequest() {
        create("Token fetched");
        control().revokeAccessTokens();

        HttpResponse created = create("After revocation");

        assertThat(created.status()).isEqualTo(201);
        assertThat(control().calls("POST", "/events$")).extracting(call -> call.status()).containsExactly(200, 401, 200);
    }
}
