package dev.pipedesk.local.testing;

import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract checker itself, on made-up answers: it passes what the spec declares and names every departure. */
class OpenApiContractTest {
    private static final OpenApiContract CONTRACT = OpenApiContract.ofThisCheckout();
    private static final String JSON = "application/json";
    private static final String EVENT = """
            {"id":"3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c","google_event_id":"0k4m8q2s6u0k4m8q2s6u0k4m8q",
             "calendar_id":"primary","summary":"Intro","description":null,
             "start_time":"2026-03-02T14:00:00Z","end_time":"2026-03-02T15:00:00Z",
             "meet_link":"https://meet.google.com/abc-defg-hij","conference_status":"success","html_link":null,
             "status":"confirmed","organizer_email":"sales@example.com",
             "attendees":[{"email":"ana@example.com","response_status":"needsAction","display_name":null,"organizer":false,"optional":false}],
             "entity_type":"deal","entity_id":"d-42","created_by":"user-1",
             "created_at":"2026-02-20T10:15:30.123456Z","updated_at":"2026-02-21T09:00:00Z"}""";
    private static final String UNAUTHORIZED = """
            {"error":{"code":"unauthorized","message":"The Authorization header is missing.","details":null}}""";

    private static ApiResponse answer(int status, String body, String... headerNamesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerNamesAndValues.length; i += 2) {
            headers.put(headerNamesAndValues[i], List.of(headerNamesAndValues[i + 1]));
        }
        return new ApiResponse(status, HttpHeaders.of(headers, (name, value) -> true), body);
    }

    /** An empty event list with this content type and X-Total-Count. */
    private static ApiResponse list(String contentType, String totalCount) {
        return answer(200, "[]", "content-type", contentType, "x-total-count", totalCount, "cache-control", "no-store");
    }

    private static AbstractStringAssert<?> assertThatTheOnlyViolation(String method, String path, ApiResponse answer) {
        return assertThat(CONTRACT.violations(method, path, answer)).singleElement().asString();
    }

    @Test
    void passesAnAnswerTheSpecDeclares() {
        assertThat(CONTRACT.violations("GET", "/api/calendar/events?limit=5",
                answer(200, "[" + EVENT + "]", "content-type", JSON, "x-total-count", "1", "cache-control", "no-store")))
                .isEmpty();
        assertThat(CONTRACT.violations("GET", "/api/calendar/events/3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c",
                answer(401, UNAUTHORIZED, "content-type", JSON))).isEmpty();
        assertThat(CONTRACT.violations("GET", "/health",
                answer(503, "{\"status\":\"unavailable\",\"components\":{\"database\":\"down: refused\"}}",
                        "content-type", JSON))).isEmpty();
    }

    @Test
    void namesABodyThatBreaksTheSchema() {
        String withoutId = EVENT.replace("\"id\":\"3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c\",", "");

        assertThatTheOnlyViolation("GET", "/api/calendar/events/abc", answer(200, withoutId, "content-type", JSON, "cache-control", "no-store", "etag", "\"1\""))
                .startsWith("GET /api/calendar/events/abc -> 200: body: ").contains("'id'");
    }

    @Test
    void namesAWrongTypeAndABrokenFormat() {
        String badTimes = EVENT.replace("\"2026-03-02T14:00:00Z\"", "\"tomorrow\"").replace("\"organizer\":false", "\"organizer\":\"no\"");

        assertThat(CONTRACT.violations("GET", "/api/calendar/events/abc",
                answer(200, badTimes, "content-type", JSON, "cache-control", "no-store", "etag", "\"1\"")))
                .containsExactlyInAnyOrder(
                        "GET /api/calendar/events/abc -> 200: body at /start_time: does not match the date-time pattern must be a valid RFC 3339 date-time",
                        "GET /api/calendar/events/abc -> 200: body at /attendees/0/organizer: string found, boolean expected");
    }

    @Test
    void namesAMissingOrMalformedETagOnASingleEvent() {
        String path = "/api/calendar/events/abc";

        assertThatTheOnlyViolation("GET", path, answer(200, EVENT, "content-type", JSON, "cache-control", "no-store"))
                .contains("the required header ETag is missing");
        assertThatTheOnlyViolation("GET", path, answer(200, EVENT, "content-type", JSON, "cache-control", "no-store",
                "etag", "unquoted")).contains("header ETag");
        assertThat(CONTRACT.violations("GET", path, answer(304, "", "etag", "\"1\"", "cache-control", "no-store"))).isEmpty();
    }

    @Test
    void namesAStatusTheOperationDoesNotDeclare() {
        ApiResponse stopped = answer(201, "{}", "content-type", JSON);
        ApiResponse conflict = answer(409, UNAUTHORIZED, "content-type", JSON);

        assertThatTheOnlyViolation("DELETE", "/api/calendar/channels/abc", stopped).contains("status 201 is not declared");
        assertThatTheOnlyViolation("GET", "/api/calendar/events", conflict).contains("status 409 is not declared");
    }

    @Test
    void namesAnInvalidHeaderAndAnUndeclaredContentType() {
        assertThatTheOnlyViolation("GET", "/api/calendar/events", list("application/json", "-1")).contains("header X-Total-Count");
        assertThatTheOnlyViolation("GET", "/api/calendar/events", list("application/json", "many")).contains("header X-Total-Count");
        assertThatTheOnlyViolation("GET", "/api/calendar/events", list("text/plain", "0"))
                .contains("content-type 'text/plain' is not declared");
    }

    @Test
    void namesAMissingRequiredHeader() {
        assertThatTheOnlyViolation("GET", "/api/calendar/events", answer(200, "[]", "content-type", JSON, "cache-control", "no-store"))
                .isEqualTo("GET /api/calendar/events -> 200: the required header X-Total-Count is missing");
    }

    @Test
    void namesABodyThatIsNotJsonOrMissing() {
        assertThatTheOnlyViolation("GET", "/api/audit-logs", answer(401, "<html>", "content-type", JSON)).contains("not JSON");
        assertThatTheOnlyViolation("GET", "/api/audit-logs", answer(401, "", "content-type", JSON)).contains("none came");
    }

    @Test
    void expectsTheGatewaysOwnAnswersOffTheSpec() {
        String notFound = "{\"error\":{\"code\":\"not_found\",\"message\":\"No route for GET /nowhere.\",\"details\":null}}";
        String notAllowed = "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"PUT is not allowed.\",\"details\":null}}";

        assertThat(CONTRACT.violations("GET", "/nowhere", answer(404, notFound, "content-type", JSON))).isEmpty();
        assertThat(CONTRACT.violations("PUT", "/api/calendar/events",
                answer(405, notAllowed, "content-type", JSON, "allow", "GET, POST"))).isEmpty();
        assertThatTheOnlyViolation("GET", "/nowhere", answer(200, "{}", "content-type", JSON))
                .contains("answers 404 from the gateway, not 200");
        assertThatTheOnlyViolation("PUT", "/api/calendar/events", answer(405, notAllowed, "content-type", JSON))
                .contains("allow header");
    }

    @Test
    void checkFailsTheTestWithEveryViolationAndTheResponse() {
        assertThatThrownBy(() -> CONTRACT.check("GET", "/api/calendar/events", answer(418, "{}", "content-type", JSON)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /api/calendar/events -> 418: status 418 is not declared")
                .hasMessageContaining("Response: HTTP 418");
    }
}
