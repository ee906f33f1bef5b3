package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.ApiGatewayEvents;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.http.testing.ApiGatewayRequest;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.TimelineRepository;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/timeline/{entity_type}/{entity_id}} on a real PostgreSQL: the function as Lambda
 * runs it (FunctionInvoker, the request fixtures {@code events/timeline-*-request.json}), connected
 * as a login of the read-only {@code pipedesk_timeline_reader} role; and, for degraded mode, the
 * same routes in-process connected as roles that lack a grant.
 */
@Tag("integration")
class TimelineApiTest {
    private static final String DEAL = "d-api";
    private static final String PASSWORD = "timeline-test-password";
    private static final String ATTENDED = "4b1e7c2a-1d3f-4e5a-8b6c-7d8e9f0a1b2c";
    private static final String NOT_ATTENDED = "5c2f8d3b-2e4a-4f6b-9c7d-8e9f0a1b2c3d";
    private static final String CANCELLED = "6d3a9e4c-3f5b-4a7c-8d8e-9f0a1b2c3d4e";
    private static final String EMAIL = "7e4b0f5d-4a6c-4b8d-9e9f-0a1b2c3d4e5f";

    private static TestDatabase database;
    private static LambdaFunctionHarness function;
    private static final Map<String, Long> audit = new HashMap<>();

    @BeforeAll
    static void start() {
        database = TestDatabase.start();
        database.execute(
                "create role timeline_api login password '" + PASSWORD + "' in role pipedesk_timeline_reader",
                // Degraded mode: no e-mails; nothing at all.
                "create role timeline_without_emails login password '" + PASSWORD + "'",
                "grant usage on schema public to timeline_without_emails",
                "grant select on audit_logs, calendar_events to timeline_without_emails",
                "create role timeline_without_grants login password '" + PASSWORD + "'",
                meeting(ATTENDED, "2026-03-05T15:00:00Z", "confirmed", "client@example.com"),
                meeting(NOT_ATTENDED, "2026-03-04T10:00:00Z", "confirmed", "someone@example.com"),
                meeting(CANCELLED, "2026-03-06T09:00:00Z", "cancelled", "client@example.com"),
                """
                insert into crm_emails (id, message_id, thread_id, direction, from_address, to_addresses, subject,
                                        snippet, sent_at, entity_type, entity_id, logged_by)
                values ('%s', '<m-1@mail.example.com>', 't-1', 'inbound', 'buyer@example.com',
                        array['sales@example.com'], 'Our offer', 'Please find…', '2026-03-02T16:00:00Z', 'deal', '%s',
                        'u-sales')""".formatted(EMAIL, DEAL));
        audit.put("deal create", audit("deal", DEAL, "create", "2026-03-01T09:00:00Z"));
        audit.put("meeting create", audit("calendar_event", ATTENDED, "create", "2026-03-01T12:00:00Z"));
        audit.put("deal status_change", audit("deal", DEAL, "status_change", "2026-03-02T10:00:00Z"));
        audit.put("email create", audit("email", EMAIL, "create", "2026-03-02T16:05:00Z"));
        audit.put("meeting cancel", audit("calendar_event", CANCELLED, "cancel", "2026-03-03T08:00:00Z"));
        function = LambdaFunctionHarness.start(TimelineApplication.class, database.env("timeline_api", PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (function != null) {
            function.close();
        }
        database.close();
    }

    private static String meeting(String id, String start, String status, String attendee) {
        return """
                insert into calendar_events (id, google_event_id, calendar_id, summary, description, start_time,
                                             end_time, meet_link, status, attendees, entity_type, entity_id, created_by)
                values ('%s', 'g-%s', 'primary', 'Demo', 'Secret agenda', '%s', timestamptz '%s' + interval '30 minutes',
                        'https://meet.google.com/abc-defg-hij', '%s',
                        '[{"email":"%s","responseStatus":"accepted","displayName":"Attendee","organizer":false,"optional":false}]',
                        'deal', '%s', 'u-sales')""".formatted(id, id, start, start, status, attendee, DEAL);
    }

    /** An audit entry; a meeting's or an e-mail's links it to the deal in its snapshot, as the writers do. */
    private static long audit(String entityType, String entityId, String action, String occurredAt) {
        String after = entityType.equals("deal") ? "null"
                : "'{\"id\": \"%s\", \"entity_type\": \"deal\", \"entity_id\": \"%s\"}'".formatted(entityId, DEAL);
        database.execute("""
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, after, source)
                values (gen_random_uuid(), 1, '%s', '%s', '%s', 'user', 'u-sales', '%s', %s, 'test')"""
                .formatted(entityType, entityId, action, occurredAt, after));
        return database.count("select max(id) from audit_logs");
    }

    // ---- through FunctionInvoker --------------------------------------------------------------

    private static APIGatewayV2HTTPEvent event(String fixture, Map<String, String> query, Map<String, String> headers) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/" + fixture);
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        Map<String, String> allHeaders = new HashMap<>(event.getHeaders());
        allHeaders.putAll(headers);
        event.setHeaders(allHeaders);
        return event;
    }

    /** The Lambda's answer: statusCode, headers, body. */
    private static JsonNode invoke(APIGatewayV2HTTPEvent event) {
        return Json.MAPPER.readTree(function.invoke(LambdaEventJson.write(event)));
    }

    private static JsonNode body(JsonNode response) {
        return Json.MAPPER.readTree(response.get("body").asString());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    @Test
    void aViewerReadsTheDealsMeetingsAuditEntriesAndEmailsNewestFirst() {
        JsonNode response = invoke(event("timeline-viewer-request.json", Map.of(), Map.of()));

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        JsonNode page = body(response);
        assertThat(ids(page)).containsExactly("meeting:" + ATTENDED, "meeting:" + NOT_ATTENDED,
                "audit:" + audit.get("meeting cancel"), "audit:" + audit.get("email create"), "email:" + EMAIL,
                "audit:" + audit.get("deal status_change"), "audit:" + audit.get("meeting create"),
                "audit:" + audit.get("deal create"));
        assertThat(page.get("items").get(0).get("type").asString()).isEqualTo("meeting");
        assertThat(Instant.parse(page.get("items").get(0).get("timestamp").asString()))
                .isEqualTo(Instant.parse("2026-03-05T15:00:00Z"));
        assertThat(Instant.parse(page.get("items").get(4).get("timestamp").asString()))
                .isEqualTo(Instant.parse("2026-03-02T16:00:00Z"));
        assertThat(page.get("pagination").toString()).isEqualTo("{\"limit\":50,\"next_cursor\":null,\"total\":8,\"total_exact\":true}");
        assertThat(page.get("degraded").toString()).isEqualTo("[]");
        assertThat(response.get("headers").get("etag").asString()).matches("\"[0-9a-f]{32}\"");
    }

    @Test
    void aClientSeesOnlyTheMeetingsItAttendsRedactedAsOnTheCalendarRoutes() {
        JsonNode response = invoke(event("timeline-client-request.json", Map.of("types", "meeting,audit,email"),
                Map.of()));

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        JsonNode page = body(response);
        CalendarEvent attended = new CalendarEventRepository(database.dataSource()).findByIdOrGoogleId(ATTENDED)
                .orElseThrow();
        assertThat(page.get("items")).containsExactly(Json.MAPPER.valueToTree(TimelineEntries.ofMeeting(attended, true)));
        assertThat(page.at("/pagination/total").asLong()).isEqualTo(1);
        String body = response.get("body").asString();
        assertThat(body).doesNotContain("Secret agenda", "meet.google.com", "client@example.com", "someone@example.com");
    }

    @Test
    void aClientAskingForAuditEntriesOnlyGetsAnEmptyPage() {
        JsonNode response = invoke(event("timeline-client-request.json", Map.of("types", "audit"), Map.of()));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(response).get("items")).isEmpty();
        assertThat(body(response).at("/pagination/total").asLong()).isZero();
    }

    @Test
    void ifNoneMatchWithThePagesETagIs304WithoutABody() {
        JsonNode first = invoke(event("timeline-viewer-request.json", Map.of("limit", "3"), Map.of()));
        String etag = first.get("headers").get("etag").asString();

        JsonNode again = invoke(event("timeline-viewer-request.json", Map.of("limit", "3"),
                Map.of("if-none-match", "W/\"other\", " + etag)));
        JsonNode otherPage = invoke(event("timeline-viewer-request.json", Map.of("limit", "4"),
                Map.of("if-none-match", etag)));

        assertThat(again.get("statusCode").asInt()).isEqualTo(304);
        assertThat(again.get("headers").get("etag").asString()).isEqualTo(etag);
        assertThat(again.get("body") == null || again.get("body").isNull() || again.get("body").asString().isEmpty())
                .as(again.toString()).isTrue();
        assertThat(otherPage.get("statusCode").asInt()).isEqualTo(200);
        assertThat(otherPage.get("headers").get("etag").asString()).isNotEqualTo(etag);
    }

    @Test
    void aCursorWalksThePagesWithTheFirstPagesTotalAndIsBoundToItsFilters() {
        List<String> walked = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("limit", "3", "types", "audit,email"));
        JsonNode page = body(invoke(event("timeline-viewer-request.json", query, Map.of())));
        List<Long> totals = new ArrayList<>();
        while (true) {
            walked.addAll(ids(page));
            totals.add(page.at("/pagination/total").asLong());
            if (page.at("/pagination/next_cursor").isNull()) {
                break;
            }
            query.put("cursor", page.at("/pagination/next_cursor").asString());
            page = body(invoke(event("timeline-viewer-request.json", query, Map.of())));
        }
        query.put("types", "audit");
        JsonNode otherFilters = invoke(event("timeline-viewer-request.json", query, Map.of()));

        assertThat(walked).containsExactly("audit:" + audit.get("meeting cancel"), "audit:" + audit.get("email create"),
                "email:" + EMAIL, "audit:" + audit.get("deal status_change"), "audit:" + audit.get("meeting create"),
                "audit:" + audit.get("deal create"));
        assertThat(totals).containsExactly(6L, 6L);
        assertThat(otherFilters.get("statusCode").asInt()).isEqualTo(422);
        assertThat(body(otherFilters).at("/error/details/0/field").asString()).isEqualTo("cursor");
    }

    @Test
    void sinceAndUntilSelectAWindowOfEverySource() {
        JsonNode page = body(invoke(event("timeline-viewer-request.json",
                Map.of("since", "2026-03-02T13:00:00-03:00", "until", "2026-03-04T10:00:00Z"), Map.of())));

        assertThat(ids(page)).containsExactly("audit:" + audit.get("meeting cancel"),
                "audit:" + audit.get("email create"), "email:" + EMAIL);
    }

    @Test
    void aBadQueryIs422WithADetailPerField() {
        JsonNode response = invoke(event("timeline-viewer-request.json", Map.of("types", "sms", "since", "2026-03-01",
                "limit", "500", "cursor", "garbage", "offset", "3"), Map.of()));

        assertThat(response.get("statusCode").asInt()).isEqualTo(422);
        JsonNode error = body(response).get("error");
        assertThat(error.get("code").asString()).isEqualTo("validation_failed");
        List<String> fields = new ArrayList<>();
        error.get("details").forEach(detail -> fields.add(detail.get("field").asString()));
        assertThat(fields).containsExactly("types", "since", "limit", "offset", "cursor");
    }

    // ---- degraded mode, in-process with other roles ---------------------------------------------

    private static DataSource as(String role) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.env(role, PASSWORD).get("DATABASE_URL"));
        dataSource.setUser(role);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    private static APIGatewayV2HTTPResponse get(String role, Map<String, String> query) {
        DataSource dataSource = as(role);
        ApiFunction api = new ApiFunction(RoutePolicy.standard(), TimelineRoutes.on(dataSource));
        ApiGatewayRequest request = ApiGatewayRequest.to(ApiRoute.GET_TIMELINE).path("entity_type", "deal")
                .path("entity_id", DEAL).by(new Principal("v-1", "v@example.com", Role.VIEWER));
        query.forEach(request::query);
        return api.apply(request.toEvent());
    }

    @Test
    void withoutSelectOnEmailsThePageIsDegradedAndTheOtherSourcesStillAnswerPageAfterPage() {
        APIGatewayV2HTTPResponse first = get("timeline_without_emails", Map.of("limit", "3"));
        JsonNode page = Json.MAPPER.readTree(first.getBody());
        APIGatewayV2HTTPResponse second = get("timeline_without_emails",
                Map.of("limit", "3", "cursor", page.at("/pagination/next_cursor").asString()));
        JsonNode next = Json.MAPPER.readTree(second.getBody());

        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(page.get("degraded").toString()).isEqualTo("[\"email\"]");
        assertThat(ids(page)).containsExactly("meeting:" + ATTENDED, "meeting:" + NOT_ATTENDED,
                "audit:" + audit.get("meeting cancel"));
        assertThat(page.at("/pagination/total").asLong()).isEqualTo(7);
        assertThat(ids(next)).containsExactly("audit:" + audit.get("email create"),
                "audit:" + audit.get("deal status_change"), "audit:" + audit.get("meeting create"));
        assertThat(next.at("/pagination/next_cursor").isNull()).isFalse();
        assertThat(first.getHeaders()).containsKey("etag");
    }

    @Test
    void aTotalAboveTheCapIsTheCapWithTotalExactFalseOnEveryPageOfTheWalk() {
        DataSource dataSource = database.dataSource();
        ApiFunction api = new ApiFunction(RoutePolicy.standard(), new TimelineRoutes(new AuditLogRepository(dataSource),
                new TimelineService(new TimelineRepository(dataSource, 5))));
        Map<String, String> query = new HashMap<>(Map.of("limit", "3"));
        List<String> paginations = new ArrayList<>();
        while (true) {
            ApiGatewayRequest request = ApiGatewayRequest.to(ApiRoute.GET_TIMELINE).path("entity_type", "deal")
                    .path("entity_id", DEAL).by(new Principal("v-1", "v@example.com", Role.VIEWER));
            query.forEach(request::query);
            JsonNode page = Json.MAPPER.readTree(api.apply(request.toEvent()).getBody());
            paginations.add(page.at("/pagination/total") + "/" + page.at("/pagination/total_exact"));
            if (page.at("/pagination/next_cursor").isNull()) {
                break;
            }
            query.put("cursor", page.at("/pagination/next_cursor").asString());
        }

        assertThat(paginations).containsExactly("5/false", "5/false", "5/false");
    }

    @Test
    void theTimelinePageIsThePageItsResponseWritesAsJson() {
        TimelineRoutes routes = TimelineRoutes.on(database.dataSource());
        ApiGatewayRequest request = ApiGatewayRequest.to(ApiRoute.GET_TIMELINE).path("entity_type", "deal")
                .path("entity_id", DEAL).query("limit", "4").by(new Principal("v-1", "v@example.com", Role.VIEWER));
        ApiHandler.Caller caller = new ApiHandler.Caller(request.caller(), false);

        TimelinePageView page = routes.timelinePage(ApiGatewayEvents.toRequest(request.toEvent()), caller);
        HttpResponse response = routes.handle(ApiGatewayEvents.toRequest(request.toEvent()), caller);

        assertThat(page.items()).hasSize(4);
        assertThat(page.pagination().total()).isEqualTo(8);
        assertThat(ApiGatewayEvents.toResponse(response).getBody()).isEqualTo(Json.write(page));
    }

    @Test
    void theTimelinePageOfAClientIsItsRedactedMeetingsOnly() {
        TimelineRoutes routes = TimelineRoutes.on(database.dataSource());
        ApiGatewayRequest request = ApiGatewayRequest.to(ApiRoute.GET_TIMELINE).path("entity_type", "deal")
                .path("entity_id", DEAL).by(new Principal("c-1", "client@example.com", Role.CLIENT));
        ApiHandler.Caller caller = new ApiHandler.Caller(request.caller(), true);

        TimelinePageView page = routes.timelinePage(ApiGatewayEvents.toRequest(request.toEvent()), caller);
        HttpResponse response = routes.handle(ApiGatewayEvents.toRequest(request.toEvent()), caller);

        CalendarEvent attended = new CalendarEventRepository(database.dataSource()).findByIdOrGoogleId(ATTENDED)
                .orElseThrow();
        assertThat(page.items()).containsExactly(TimelineEntries.ofMeeting(attended, true));
        assertThat(ApiGatewayEvents.toResponse(response).getBody()).isEqualTo(Json.write(page))
                .doesNotContain("Secret agenda");
    }

    @Test
    void whenNoSourceCanBeReadItIs503() {
        APIGatewayV2HTTPResponse response = get("timeline_without_grants", Map.of());

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(response.getBody()).at("/error/code").asString())
                .isEqualTo("service_unavailable");
    }
}
