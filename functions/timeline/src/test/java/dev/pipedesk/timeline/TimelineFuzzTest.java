package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.testing.ApiGatewayRequest;
import dev.pipedesk.http.testing.FuzzRun;
import dev.pipedesk.http.testing.HostileInput;
import dev.pipedesk.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Random and mutated path values, query strings (types, dates, paging, cursors) and
 * {@code If-None-Match} headers driven through the unified timeline route on a real PostgreSQL
 * with meetings, e-mails and audit entries: never a 5xx, a 4xx is the JSON error shape, and a
 * client's 200 never holds anything but meetings. The seed and the number of tries are fixed, so
 * every run sends the same {@value #TRIES} requests: it cannot fail by chance, and a failure
 * names the request.
 */
@Tag("integration")
class TimelineFuzzTest {
    private static final long SEED = 20_261_202L;
    private static final int TRIES = 300;
    private static final Principal VIEWER = new Principal("u-0", "viewer@example.com", Role.VIEWER);
    private static final Principal CLIENT = new Principal("c-1", "client1@example.com", Role.CLIENT);
    private static final List<Principal> CALLERS = List.of(VIEWER, VIEWER, VIEWER, CLIENT,
            new Principal("u-1", "sales@example.com", Role.SALES), new Principal("c-2", null, Role.CLIENT));
    private static final List<String> QUERY_PARAMETERS = List.of("types", "since", "until", "limit", "offset", "cursor");
    private static final List<String> USEFUL_VALUES = List.of("meeting", "audit,email", "meeting,audit,email",
            "2026-03-02T00:00:00Z", "2026-03-01T10:00:00-03:00", "1", "5", "0", "200", "10000");

    private static TestDatabase database;
    private static ApiFunction timelineApi;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.start();
        database.execute("""
                insert into calendar_events (id, google_event_id, calendar_id, summary, description, start_time, end_time,
                                             status, attendees, entity_type, entity_id, created_by)
                select gen_random_uuid(), 'g-' || i, 'primary', 'Meeting ' || i, 'notes',
                       timestamptz '2026-03-01 00:00:00Z' + i * interval '5 hours',
                       timestamptz '2026-03-01 00:30:00Z' + i * interval '5 hours',
                       case when i % 5 = 0 then 'cancelled' else 'confirmed' end,
                       jsonb_build_array(jsonb_build_object('email', 'client' || (i % 3) || '@example.com',
                           'responseStatus', 'accepted', 'organizer', false, 'optional', false)),
                       (array['lead','deal','contact'])[1 + i % 3], 'e-' || (i % 4), 'u-1'
                  from generate_series(1, 30) i""", """
                insert into crm_emails (id, message_id, direction, from_address, sent_at, entity_type, entity_id, logged_by)
                select gen_random_uuid(), '<m' || i || '>', 'inbound', 'a@b.com',
                       timestamptz '2026-03-01 00:00:00Z' + i * interval '7 hours',
                       (array['lead','deal','contact'])[1 + i % 3], 'e-' || (i % 4), 'u-1'
                  from generate_series(1, 30) i""", """
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, changes, after, source)
                select gen_random_uuid(), 1, (array['lead','deal','contact'])[1 + i % 3], 'e-' || (i % 4),
                       (array['create','update','status_change'])[1 + i % 3], 'user', 'u-' || (i % 4),
                       timestamptz '2026-03-01 00:00:00Z' + i * interval '3 hours',
                       '{"status":{"old":"new","new":"won"}}', '{"status":"won"}', 'fuzz'
                  from generate_series(1, 40) i""", """
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, after, source)
                select gen_random_uuid(), 1, 'calendar_event', m.id::text, 'create', 'user', 'u-1', m.created_at,
                       jsonb_build_object('id', m.id, 'entity_type', m.entity_type, 'entity_id', m.entity_id), 'fuzz'
                  from calendar_events m""");
        timelineApi = new ApiFunction(RoutePolicy.standard(), TimelineRoutes.on(database.dataSource()));
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @Test
    void hostileRequestsNeverGetA5xxAndAClientOnlyEverSeesMeetings() throws Exception {
        List<String> cursors = new ArrayList<>(List.of(""));
        List<String> etags = new ArrayList<>(List.of("\"x\""));
        FuzzRun.Answers answers = new FuzzRun(SEED, TRIES)
                .rule(TimelineFuzzTest::aClientSawMoreThanMeetings)
                .afterAnswer((request, response) -> {
                    if (response.getStatusCode() == 200) {
                        JsonNode next = Json.MAPPER.readTree(response.getBody()).at("/pagination/next_cursor");
                        if (next.isString()) {
                            cursors.add(next.asString());
                        }
                        etags.add(response.getHeaders().get("etag"));
                    }
                })
                .run(timelineApi, hostile -> nextRequest(hostile, hostile.oneOf(CALLERS), cursors, etags));
        // Not vacuous: pages, 304s and refusals all happened.
        assertThat(answers.byStatus()).as("answers by status").containsKeys(200, 304, 422);
    }

    /** A client's page that holds anything but meetings, or null. */
    private static String aClientSawMoreThanMeetings(ApiGatewayRequest request, APIGatewayV2HTTPResponse response) {
        if (response.getStatusCode() == 200 && request.caller().role() == Role.CLIENT) {
            for (JsonNode item : Json.MAPPER.readTree(response.getBody()).get("items")) {
                if (!item.get("type").asString().equals("meeting")) {
                    return "a client was shown " + item;
                }
            }
        }
        return null;
    }

    /** A valid request with one or two things made hostile; sometimes a cursor or an ETag from an earlier answer. */
    private static ApiGatewayRequest nextRequest(HostileInput hostile, Principal caller, List<String> cursors,
                                                 List<String> etags) {
        Map<String, String> path = new LinkedHashMap<>();
        path.put("entity_type", hostile.oneOf("lead", "deal", "contact"));
        path.put("entity_id", "e-" + hostile.between(0, 4));
        Map<String, String> query = new LinkedHashMap<>();
        if (hostile.chance(0.4)) {
            query.put("limit", hostile.oneOf("1", "5", "200"));
        }
        if (hostile.chance(0.3)) {
            query.put("types", hostile.oneOf("meeting", "audit,email", "email"));
        }
        if (hostile.chance(0.2)) {
            query.put("since", hostile.oneOf("2026-03-02T00:00:00Z", "2026-03-01T10:00:00-03:00"));
        }
        if (hostile.chance(0.3)) {
            query.put("cursor", hostile.oneOf(cursors));
        }
        for (int edits = hostile.between(0, 3); edits > 0; edits--) {
            if (hostile.chance(0.3)) {
                String name = hostile.oneOf(List.copyOf(path.keySet()));
                path.put(name, hostile.damaged(path.get(name)));
            } else {
                String name = hostile.chance(0.9) ? hostile.oneOf(QUERY_PARAMETERS) : hostile.text();
                query.put(name, hostile.damaged(query.getOrDefault(name, hostile.oneOf(USEFUL_VALUES))));
            }
        }
        ApiGatewayRequest request = ApiGatewayRequest.to(ApiRoute.GET_TIMELINE).by(caller);
        path.forEach(request::path);
        query.forEach(request::query);
        if (hostile.chance(0.3)) {
            request.header("If-None-Match", hostile.chance(0.8) ? hostile.oneOf(etags) : hostile.damaged("\"x\""));
        }
        return request;
    }
}
