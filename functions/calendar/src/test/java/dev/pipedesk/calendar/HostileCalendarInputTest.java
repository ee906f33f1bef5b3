package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.ReceivedCall;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.testing.ApiGatewayRequest;
import dev.pipedesk.http.testing.HostileInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Findings of the outside attack run on the calendar function, each a clear 4xx that changes
 * nothing and never reaches Google: the function as API Gateway invokes it, on real PostgreSQL,
 * the Google Calendar emulator (whose call log shows what reached "Google") and ElasticMQ.
 */
@Tag("integration")
class HostileCalendarInputTest {
    @RegisterExtension
    static final CalendarBackends backends = new CalendarBackends();

    private static final Principal SALES = new Principal("hostile-sales", "sales@example.com", Role.SALES);
    private static final String TIMES = "\"start_time\":\"2031-06-02T10:00:00Z\",\"end_time\":\"2031-06-02T11:00:00Z\"";

    private ApiFunction calendarApi;

    /** The function, with this test's audit queue (the environment makes one per test). */
    @BeforeEach
    void startFunction() {
        calendarApi = new ApiFunction(RoutePolicy.standard(),
                new CalendarRoutes(RealCalendarService.on(backends), null));
        backends.google().clearCalls();
    }

    private record Answer(int status, JsonNode body) {
        String errorCode() {
            return body.at("/error/code").asString();
        }

        List<String> failedFields() {
            return body.at("/error/details").valueStream().map(detail -> detail.get("field").asString()).toList();
        }
    }

    private Answer call(ApiGatewayRequest request) {
        APIGatewayV2HTTPResponse response = calendarApi.apply(request.by(SALES).toEvent());
        return new Answer(response.getStatusCode(), response.getBody() == null ? null : Json.MAPPER.readTree(response.getBody()));
    }

    private String createdMeetingId() {
        Answer created = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT)
                .body("{\"summary\":\"Stays editable\",\"create_meet_link\":false," + TIMES + "}"));
        assertThat(created.status()).isEqualTo(201);
        backends.google().clearCalls();
        return created.body().get("id").asString();
    }

    /** Calls that could have changed something in Google: every insert, patch, update and delete. */
    private static List<ReceivedCall> googleWrites() {
        return backends.google().calls().stream()
                .filter(call -> call.path().startsWith("/calendar/v3/") && !call.method().equals("GET"))
                .toList();
    }

    private static long meetingRows() {
        return backends.outbox().database().count("select count(*) from calendar_events");
    }

    @Test
    void aNulInAPatchNeverReachesGoogleAndTheMeetingStaysEditable() {
        String id = createdMeetingId();

        Answer refused = call(ApiGatewayRequest.to(ApiRoute.UPDATE_EVENT).path("id", id).body("{\"summary\":\"Renamed\\u0000\"}"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.failedFields()).containsExactly("summary");
        assertThat(googleWrites()).isEmpty();

        Answer renamed = call(ApiGatewayRequest.to(ApiRoute.UPDATE_EVENT).path("id", id).body("{\"summary\":\"Renamed\"}"));
        Answer renamedAgain = call(ApiGatewayRequest.to(ApiRoute.UPDATE_EVENT).path("id", id).body("{\"summary\":\"Renamed twice\"}"));

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamedAgain.status()).isEqualTo(200);
        assertThat(renamedAgain.body().get("summary").asString()).isEqualTo("Renamed twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\uD800"})
    void brokenTextInACreateNeverReachesGoogle(String broken) {
        long rowsBefore = meetingRows();

        Answer refused = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT)
                .body("{\"description\":\"Agenda" + broken + "\",\"create_meet_link\":false," + TIMES + "}"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.failedFields()).containsExactly("description");
        assertThat(googleWrites()).isEmpty();
        assertThat(meetingRows()).isEqualTo(rowsBefore);
    }

    @ParameterizedTest
    @EnumSource(value = ApiRoute.class, names = {"GET_EVENT", "UPDATE_EVENT", "CANCEL_EVENT"})
    void aNulInThePathIdIsA422NotA500(ApiRoute route) {
        Answer refused = call(ApiGatewayRequest.to(route).path("id", "abc\u0000def").body("{\"summary\":\"x\"}"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.failedFields()).containsExactly("id");
        assertThat(googleWrites()).isEmpty();
    }

    @Test
    void aNulInAListFilterIsA422NotA500() {
        Answer refused = call(ApiGatewayRequest.to(ApiRoute.LIST_EVENTS)
                .query("entity_type", "deal").query("entity_id", "d\u0000-1").query("calendar_id", "primary\u0000x"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.failedFields()).containsExactlyInAnyOrder("entity_id", "calendar_id");
    }

    @Test
    void aNulInTheIdempotencyKeyIsA422BeforeGoogle() {
        Answer refused = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT).header("Idempotency-Key", "key\u0000")
                .body("{\"create_meet_link\":false," + TIMES + "}"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.failedFields()).containsExactly("Idempotency-Key");
        assertThat(googleWrites()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1500-06-02T10:00:00Z", "1899-12-31T10:00:00Z", "+99999-06-02T10:00:00Z"})
    void aMeetingOutsideTheYears1900To9999IsA422BeforeGoogle(String start) {
        Answer refused = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT)
                .body("{\"create_meet_link\":false,\"start_time\":\"" + start + "\",\"end_time\":\"2031-06-02T11:00:00Z\"}"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.failedFields()).containsExactly("start_time");
        assertThat(googleWrites()).isEmpty();
    }

    @Test
    void timesThatAreOneSecondOnceTruncatedAreA422BeforeGoogle() {
        long rowsBefore = meetingRows();

        Answer refused = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT).body("""
                {"create_meet_link":false,"start_time":"2031-06-02T10:00:00.1231Z","end_time":"2031-06-02T10:00:00.1239Z"}"""));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.failedFields()).containsExactly("end_time");
        assertThat(googleWrites()).isEmpty();
        assertThat(meetingRows()).isEqualTo(rowsBefore);
    }

    @Test
    void aMeetingIsKeptAtWholeSeconds() {
        Answer created = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT).body("""
                {"create_meet_link":false,"start_time":"2031-06-02T10:00:00.999Z","end_time":"2031-06-02T10:30:00.5Z"}"""));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("start_time").asString()).isEqualTo("2031-06-02T10:00:00Z");
        assertThat(created.body().get("end_time").asString()).isEqualTo("2031-06-02T10:30:00Z");
    }

    @Test
    void aBodyThatIsNotUtf8IsA400BeforeGoogle() {
        byte[] latin1 = ("{\"summary\":\"Caf\u00e9\",\"create_meet_link\":false," + TIMES + "}").getBytes(StandardCharsets.ISO_8859_1);

        Answer refused = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT).bytes(latin1));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().at("/error/message").asString()).isEqualTo("The request body is not valid UTF-8.");
        assertThat(googleWrites()).isEmpty();
    }

    @Test
    void aBodyNestedBeyondTheParsersLimitIsA400ThatSaysSo() {
        Answer refused = call(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT)
                .body("{\"attendees\":" + HostileInput.nested(Json.maxNestingDepth() + 1) + "," + TIMES + "}"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().at("/error/message").asString())
                .contains("nested deeper than " + Json.maxNestingDepth() + " levels");
    }

    @Test
    void a404EchoesOnlyAShortPrefixOfTheId() {
        String longId = "no-such-meeting-" + "x".repeat(10_000);

        Answer missing = call(ApiGatewayRequest.to(ApiRoute.GET_EVENT).path("id", longId));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().at("/error/message").asString())
                .isEqualTo("No calendar event with id " + longId.substring(0, ApiException.EXCERPT_LENGTH) + "…");
    }
}
