package dev.pipedesk.calendar;

import static dev.pipedesk.sync.testing.CountingSecrets.channelId;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Json;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.testing.ApiGatewayRequest;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.sync.CalendarIds;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SqsSyncQueue;
import dev.pipedesk.sync.SyncSettings;
import dev.pipedesk.sync.testing.CountingSecrets;
import dev.pipedesk.sync.testing.InMemoryGoogleFeed;
import dev.pipedesk.testing.TestDatabase;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The watch-channel routes ({@code POST /api/calendar/watch}, {@code GET /api/calendar/channels},
 * {@code DELETE /api/calendar/channels/{id}}) as API Gateway invokes the function: parsing and
 * rendering, on a real PostgreSQL and FIFO sync queue, with Google's side of the channels in
 * memory. What the channel manager decides is {@code ChannelManagerTest}'s (libs/calendar-sync).
 */
@Tag("integration")
class ChannelRoutesTest {
    private static final String CALENDAR = "team@pipedesk.example";
    private static final String OTHER = "sales@pipedesk.example";
    private static final Instant NOW = Instant.parse("2031-04-01T09:00:00Z");
    private static final Principal ADMIN = new Principal("routes-admin", "admin@example.com", Role.ADMIN);
    private static final Principal MANAGER = new Principal("routes-manager", "manager@example.com", Role.MANAGER);

    private static TestDatabase database;
    private static LocalSqs sqs;
    private static int queues;

    private InMemoryGoogleFeed google;
    private ApiFunction calendarApi;

    @BeforeAll
    static void start() {
        database = TestDatabase.shared();
        sqs = LocalSqs.startOnFreePort();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @BeforeEach
    void freshFunction() {
        database.execute("delete from calendar_watch_channels", "delete from calendar_sync_state",
                "delete from google_calendar_aliases");
        TestClock clock = new TestClock(NOW);
        google = new InMemoryGoogleFeed(clock);
        String queueUrl = sqs.createFifoQueue("routes-sync-" + (++queues) + ".fifo");
        SyncSettings settings = new SyncSettings(Set.of(CALENDAR, OTHER), URI.create("https://api.pipedesk.example"),
                Duration.ofDays(7), Duration.ofDays(1), Duration.ofMinutes(10), 3);
        ChannelManager channels = new ChannelManager(database.dataSource(), google,
                new CalendarIds(database.dataSource(), google), new SqsSyncQueue(sqs.client(), queueUrl),
                settings, clock, new CountingSecrets());
        CalendarService meetings = new CalendarService(new InMemoryEventStore(), new InMemoryGoogleCalendar(clock),
                new WritableCalendars(CALENDAR, Set.of(CALENDAR, OTHER)), clock);
        calendarApi = new ApiFunction(RoutePolicy.standard(), new CalendarRoutes(meetings, channels));
    }

    private record Answer(int status, JsonNode body) {
        String errorCode() {
            return body.at("/error/code").asString();
        }

        List<String> failedFields() {
            return body.at("/error/details").valueStream().map(detail -> detail.get("field").asString()).toList();
        }
    }

    private Answer call(ApiGatewayRequest request, Principal caller) {
        APIGatewayV2HTTPResponse response = calendarApi.apply(request.by(caller).toEvent());
        return new Answer(response.getStatusCode(),
                response.getBody() == null || response.getBody().isEmpty() ? null : Json.MAPPER.readTree(response.getBody()));
    }

    private Answer watch(String body) {
        ApiGatewayRequest request = ApiGatewayRequest.to(ApiRoute.WATCH_CALENDAR);
        return call(body == null ? request : request.body(body), ADMIN);
    }

    @Test
    void watchAnswers201WithTheNewChannelThen200WithTheSameOne() {
        Answer created = watch("{\"calendar_id\":\"" + CALENDAR + "\"}");
        Answer again = watch("{\"calendar_id\":\"" + CALENDAR + "\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().propertyNames()).containsExactly("id", "calendar_id", "resource_id", "expires_at",
                "state", "last_message_number", "created_at", "stopped_at", "replaced_by");
        assertThat(created.body().get("id").asString()).isEqualTo(channelId(1));
        assertThat(created.body().get("calendar_id").asString()).isEqualTo(CALENDAR);
        assertThat(created.body().get("resource_id").asString()).isEqualTo(InMemoryGoogleFeed.resourceIdOf(CALENDAR));
        assertThat(created.body().get("expires_at").asString()).isEqualTo("2031-04-08T09:00:00Z");
        assertThat(created.body().get("state").asString()).isEqualTo("active");
        assertThat(created.body().get("last_message_number").isNull()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(created.body());
        assertThat(created.body().toString()).doesNotContain(CountingSecrets.token(1));
        assertThat(google.watchCalls()).hasSize(1);
    }

    @Test
    void watchWithoutABodyOrCalendarWatchesTheDefaultCalendar() {
        Answer withoutBody = watch(null);
        Answer emptyObject = watch("{}");

        assertThat(withoutBody.status()).isEqualTo(201);
        assertThat(withoutBody.body().get("calendar_id").asString()).isEqualTo(CALENDAR);
        assertThat(emptyObject.status()).isEqualTo(200);
        assertThat(emptyObject.body().get("id").asString()).isEqualTo(channelId(1));
    }

    @Test
    void watchTakesTheCamelCaseAliasAndIgnoresUnknownFields() {
        Answer created = watch("{\"calendarId\":\"" + OTHER + "\",\"ttl\":5}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("calendar_id").asString()).isEqualTo(OTHER);
    }

    @Test
    void watchRefusesACalendarThatIsNotSyncedWith422() {
        Answer refused = watch("{\"calendar_id\":\"someone@pipedesk.example\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo("validation_failed");
        assertThat(refused.failedFields()).containsExactly("calendar_id");
        assertThat(google.calls()).isEmpty();
    }

    @Test
    void watchRefusesBodiesAsTheOtherRoutesDo() {
        assertThat(watch("{\"calendar_id\":").status()).isEqualTo(400);
        assertThat(watch("[\"" + CALENDAR + "\"]").status()).isEqualTo(400);
        Answer notAString = watch("{\"calendar_id\":42}");
        assertThat(notAString.status()).isEqualTo(422);
        assertThat(notAString.failedFields()).containsExactly("calendar_id");
        Answer nul = watch("{\"calendar_id\":\"team\\u0000\"}");
        assertThat(nul.status()).isEqualTo(422);
        assertThat(nul.failedFields()).containsExactly("calendar_id");
        assertThat(google.calls()).isEmpty();
    }

    @Test
    void channelsListsEverySyncedCalendarWithItsChannels() {
        watch("{\"calendar_id\":\"" + CALENDAR + "\"}");

        Answer listed = call(ApiGatewayRequest.to(ApiRoute.LIST_CHANNELS), ADMIN);

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().propertyNames()).containsExactly("calendars");
        JsonNode calendars = listed.body().get("calendars");
        assertThat(calendars.valueStream().map(c -> c.get("calendar_id").asString()).toList())
                .containsExactly(OTHER, CALENDAR);
        JsonNode team = calendars.get(1);
        assertThat(team.get("state").asString()).isEqualTo("syncing");
        assertThat(team.get("failure_reason").isNull()).isTrue();
        assertThat(team.get("sync_token_age_seconds").isNull()).isTrue();
        assertThat(team.get("channels").valueStream().map(c -> c.get("id").asString()).toList())
                .containsExactly(channelId(1));
        assertThat(calendars.get(0).get("channels").isEmpty()).isTrue();
        assertThat(listed.body().toString()).doesNotContain(CountingSecrets.token(1)).doesNotContain("token_sha256");
    }

    @Test
    void deleteStopsTheChannelAndAnswersItStopped() {
        watch(null);

        Answer stopped = call(ApiGatewayRequest.to(ApiRoute.STOP_CHANNEL).path("id", channelId(1)), ADMIN);

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.body().get("id").asString()).isEqualTo(channelId(1));
        assertThat(stopped.body().get("state").asString()).isEqualTo("stopped");
        assertThat(stopped.body().get("stopped_at").asString()).isEqualTo("2031-04-01T09:00:00Z");
        assertThat(google.calls()).contains("stop " + channelId(1));
    }

    @Test
    void deleteOfAnUnknownChannelIs404AndOfABrokenIdIs422() {
        Answer unknown = call(ApiGatewayRequest.to(ApiRoute.STOP_CHANNEL).path("id", "no-such-channel"), ADMIN);
        Answer broken = call(ApiGatewayRequest.to(ApiRoute.STOP_CHANNEL).path("id", "bad\u0000id"), ADMIN);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("not_found");
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.failedFields()).containsExactly("id");
        assertThat(google.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ApiRoute.class, names = {"WATCH_CALENDAR", "LIST_CHANNELS", "STOP_CHANNEL"})
    void onlyAnAdminMayUseTheChannelRoutes(ApiRoute route) {
        Answer refused = call(ApiGatewayRequest.to(route).path("id", channelId(1)), MANAGER);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(google.calls()).isEmpty();
        assertThat(database.count("select count(*) from calendar_sync_state")).isZero();
    }
}
