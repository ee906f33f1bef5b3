package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.ReceivedCall;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.testing.ApiGatewayRequest;
import dev.pipedesk.http.testing.FuzzRun;
import dev.pipedesk.http.testing.HostileInput;
import dev.pipedesk.testing.TableDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Random and mutated bodies, ids, query strings and headers driven through the calendar routes,
 * as API Gateway invokes the function, on real PostgreSQL, the Google Calendar emulator and
 * ElasticMQ. Whatever arrives: never a 5xx, and a 4xx is the JSON error shape and changes
 * nothing — no successful write reaches Google (the emulator's call log) and the mirror table is
 * byte for byte what it was. The seed and the number of tries are fixed, so every run sends the
 * same {@value #TRIES} requests: it cannot fail by chance, and a failure names the request.
 */
@Tag("integration")
class CalendarFuzzTest {
    @RegisterExtension
    static final CalendarBackends backends = new CalendarBackends();

    private static final long SEED = 20_260_801L;
    private static final int TRIES = 400;
    private static final Principal OWNER = new Principal("fuzz-sales", "sales@example.com", Role.SALES);
    private static final List<Principal> CALLERS = List.of(OWNER, OWNER,
            new Principal("fuzz-manager", "manager@example.com", Role.MANAGER),
            new Principal("fuzz-client", "client@example.com", Role.CLIENT));

    private static final Map<String, String> VALID_CREATE = HostileInput.fields(
            "summary", "\"Fuzzed meeting\"", "description", "\"Agenda\"",
            "start_time", "\"2031-07-01T10:00:00Z\"", "end_time", "\"2031-07-01T11:00:00-03:00\"",
            "attendees", "[\"ana@example.com\",{\"email\":\"bo@example.com\"}]", "create_meet_link", "false",
            "entity_type", "\"deal\"", "entity_id", "\"d-1\"");
    private static final Map<String, String> VALID_PATCH = HostileInput.fields(
            "summary", "\"Renamed\"", "start_time", "\"2031-07-02T10:00:00Z\"", "end_time", "\"2031-07-02T10:45:00Z\"",
            "description", "null", "attendees", "[\"cy@example.com\"]", "entity_type", "\"lead\"", "entity_id", "42");
    /** The meeting routes, writes more often than reads (the watch routes answer 501 until they are built). */
    private static final List<ApiRoute> FUZZED_ROUTES = List.of(ApiRoute.CREATE_EVENT, ApiRoute.CREATE_EVENT,
            ApiRoute.CREATE_EVENT, ApiRoute.UPDATE_EVENT, ApiRoute.UPDATE_EVENT, ApiRoute.UPDATE_EVENT, ApiRoute.GET_EVENT,
            ApiRoute.GET_EVENT, ApiRoute.LIST_EVENTS, ApiRoute.LIST_EVENTS, ApiRoute.CANCEL_EVENT);
    private static final List<String> BODY_FIELDS = List.of("summary", "title", "description", "start_time", "startTime",
            "end_time", "endTime", "attendees", "create_meet_link", "createMeetLink", "entity_type", "entityType",
            "entity_id", "entityId", "calendar_id", "calendarId");
    private static final List<String> QUERY_PARAMETERS = List.of("time_min", "timeMin", "time_max", "timeMax", "status",
            "entity_type", "entityType", "entity_id", "entityId", "calendar_id", "calendarId", "limit", "offset");

    private ApiFunction calendarApi;
    private Connection digestConnection;

    /** The function, with this test's audit queue (the environment makes one per test). */
    @BeforeEach
    void startFunction() throws SQLException {
        calendarApi = new ApiFunction(RoutePolicy.standard(),
                new CalendarRoutes(RealCalendarService.on(backends), null));
        digestConnection = backends.dataSource().getConnection();
    }

    @AfterEach
    void closeConnection() throws SQLException {
        digestConnection.close();
    }

    @Test
    void hostileRequestsNeverGetA5xxAndA4xxChangesNothing() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send(ApiGatewayRequest.to(ApiRoute.CREATE_EVENT).by(OWNER).body(HostileInput.object(VALID_CREATE)))
                    .get("id").asString());
        }
        FuzzRun.Answers answers = new FuzzRun(SEED, TRIES)
                .unchangedByRefusals("calendar_events", () -> TableDigest.rows(digestConnection, "calendar_events"))
                .rule(this::googleChangedBy)
                .afterAnswer((request, response) -> {
                    if (response.getStatusCode() == 201) {
                        ids.add(Json.MAPPER.readTree(response.getBody()).get("id").asString());
                    }
                })
                .run(calendarApi, hostile -> {
                    ApiGatewayRequest request = nextRequest(hostile, ids);
                    backends.google().clearCalls();
                    return request;
                });
        answers.assertEveryRouteAcceptedAndRefused(FUZZED_ROUTES);
    }

    /** A refusal that still made a successful write reach Google, or null. */
    private String googleChangedBy(ApiGatewayRequest request, APIGatewayV2HTTPResponse response) {
        int status = response.getStatusCode();
        if (status < 400) {
            return null;
        }
        List<ReceivedCall> writes = backends.google().calls().stream()
                .filter(call -> call.path().startsWith("/calendar/v3/") && !call.method().equals("GET"))
                .filter(call -> call.status() >= 200 && call.status() < 300)
                .toList();
        return writes.isEmpty() ? null
                : "answered " + status + " after changing Google: " + writes.stream().map(c -> c.method() + " " + c.path()).toList();
    }

    private static ApiGatewayRequest nextRequest(HostileInput hostile, List<String> ids) {
        ApiRoute route = hostile.oneOf(FUZZED_ROUTES);
        ApiGatewayRequest request = ApiGatewayRequest.to(route).by(hostile.oneOf(CALLERS));
        switch (route) {
            case CREATE_EVENT -> {
                hostile.body(request, VALID_CREATE, BODY_FIELDS);
                if (hostile.chance(0.25)) {
                    request.header("Idempotency-Key", hostile.chance(0.5) ? hostile.text() : "key-" + hostile.between(0, 5));
                }
            }
            case UPDATE_EVENT -> hostile.body(request.path("id", hostile.id(ids)), VALID_PATCH, BODY_FIELDS);
            case GET_EVENT, CANCEL_EVENT -> request.path("id", hostile.id(ids));
            case LIST_EVENTS -> {
                for (int i = hostile.between(0, 5); i > 0; i--) {
                    request.query(hostile.chance(0.9) ? hostile.oneOf(QUERY_PARAMETERS) : hostile.text(),
                            hostile.chance(0.7) ? hostile.text() : hostile.oneOf("10", "0", "deal", "all", "2031-07-01T00:00:00Z"));
                }
            }
            default -> throw new IllegalStateException("not fuzzed: " + route);
        }
        return request;
    }

    private JsonNode send(ApiGatewayRequest request) {
        APIGatewayV2HTTPResponse response = calendarApi.apply(request.toEvent());
        assertThat(response.getStatusCode()).as(response.getBody()).isLessThan(300);
        return Json.MAPPER.readTree(response.getBody());
    }
}
