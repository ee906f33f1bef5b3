package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.testing.TableDigest;
import dev.pipedesk.testing.TestDatabase;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.testing.ApiGatewayRequest;
import dev.pipedesk.http.testing.FuzzRun;
import dev.pipedesk.http.testing.HostileInput;
import java.sql.Connection;
import java.sql.SQLException;
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
 * Random and mutated path values and query strings (filters, dates, paging, cursors) driven
 * through the audit-log routes, as API Gateway invokes the timeline function, on a real
 * PostgreSQL with audit entries: never a 5xx, a 4xx is the JSON error shape, and the append-only
 * log is never changed. The seed and the number of tries are fixed, so every run sends the same
 * {@value #TRIES} requests: it cannot fail by chance, and a failure names the request.
 */
@Tag("integration")
class AuditLogFuzzTest {
    private static final long SEED = 20_260_802L;
    private static final int TRIES = 400;
    private static final Principal ADMIN = new Principal("u-0", "admin@example.com", Role.ADMIN);
    /** Mostly an admin, who may call every route, so most requests reach the input checks. */
    private static final List<Principal> CALLERS = List.of(ADMIN, ADMIN, ADMIN, ADMIN,
            new Principal("u-1", "manager@example.com", Role.MANAGER), new Principal("u-2", "sales@example.com", Role.SALES));
    private static final List<ApiRoute> ROUTES = List.of(ApiRoute.LIST_AUDIT_LOGS, ApiRoute.LIST_ENTITY_AUDIT_LOGS,
            ApiRoute.LIST_USER_AUDIT_LOGS);
    private static final List<String> QUERY_PARAMETERS = List.of("entity_type", "entityType", "entity_id", "entityId",
            "action", "user_id", "userId", "start_date", "startDate", "end_date", "endDate", "limit", "offset", "cursor");
    private static final List<String> USEFUL_VALUES = List.of("lead", "deal", "calendar_event", "e-1", "update", "u-1", "u-2",
            "system:outbox-relay", "2026-03-02", "2026-03-05T00:00:00Z", "2026-03-01T10:00:00-03:00", "1", "5", "0", "200");

    private static TestDatabase database;
    private static ApiFunction timelineApi;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.start();
        database.execute("""
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, changes, source)
                select gen_random_uuid(), 1, (array['lead','deal','calendar_event'])[1 + i % 3], 'e-' || (i % 5),
                       (array['create','update','status_change'])[1 + i % 3],
                       case when i % 7 = 0 then 'system' else 'user' end,
                       case when i % 7 = 0 then 'system:outbox-relay' else 'u-' || (i % 4) end,
                       timestamptz '2026-03-01 00:00:00Z' + i * interval '7 hours',
                       '{"status":{"old":"new","new":"won"}}', 'fuzz'
                  from generate_series(1, 40) i""");
        timelineApi = new ApiFunction(RoutePolicy.standard(), TimelineRoutes.on(database.dataSource()));
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @Test
    void hostileRequestsNeverGetA5xxAndNeverChangeTheLog() throws Exception {
        List<String> cursors = new ArrayList<>(List.of(""));
        String logBefore = logDigest();
        FuzzRun.Answers answers = new FuzzRun(SEED, TRIES)
                .afterAnswer((request, response) -> {
                    if (response.getStatusCode() == 200) {
                        JsonNode next = Json.MAPPER.readTree(response.getBody()).at("/pagination/next_cursor");
                        if (next.isString()) {
                            cursors.add(next.asString());
                        }
                    }
                })
                .run(timelineApi, hostile -> nextRequest(hostile, cursors));
        assertThat(logDigest()).as("the audit log after the fuzzing").isEqualTo(logBefore);
        answers.assertEveryRouteAcceptedAndRefused(ROUTES);
    }

    /**
     * A valid request (path values that exist, a few sensible filters, sometimes a cursor from an
     * earlier page) with one or two things made hostile, so the hostile part is usually the only
     * problem and reaches as far as the code lets it.
     */
    private static ApiGatewayRequest nextRequest(HostileInput hostile, List<String> cursors) {
        ApiRoute route = hostile.oneOf(ROUTES);
        Map<String, String> path = new LinkedHashMap<>();
        switch (route) {
            case LIST_ENTITY_AUDIT_LOGS -> {
                path.put("entity_type", hostile.oneOf("lead", "deal", "calendar_event"));
                path.put("entity_id", "e-" + hostile.between(0, 5));
            }
            case LIST_USER_AUDIT_LOGS -> path.put("user_id", hostile.oneOf("u-0", "u-1", "system:outbox-relay"));
            default -> {
            }
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (hostile.chance(0.4)) {
            query.put("limit", hostile.oneOf("1", "5", "200"));
        }
        if (hostile.chance(0.3)) {
            query.put("start_date", hostile.oneOf("2026-03-02", "2026-03-01T10:00:00-03:00"));
        }
        if (route == ApiRoute.LIST_AUDIT_LOGS && hostile.chance(0.3)) {
            query.put("user_id", hostile.oneOf("u-1", "u-2"));
        }
        if (hostile.chance(0.3)) {
            query.put("cursor", hostile.oneOf(cursors));
        }
        for (int edits = hostile.between(1, 3); edits > 0; edits--) {
            if (!path.isEmpty() && hostile.chance(0.4)) {
                String name = hostile.oneOf(List.copyOf(path.keySet()));
                path.put(name, hostile.damaged(path.get(name)));
            } else {
                String name = hostile.chance(0.9) ? hostile.oneOf(QUERY_PARAMETERS) : hostile.text();
                query.put(name, hostile.damaged(query.getOrDefault(name, hostile.oneOf(USEFUL_VALUES))));
            }
        }
        ApiGatewayRequest request = ApiGatewayRequest.to(route).by(hostile.oneOf(CALLERS));
        path.forEach(request::path);
        query.forEach(request::query);
        return request;
    }

    /** Every row of the log, as one hash. */
    private static String logDigest() throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            return TableDigest.rows(connection, "audit_logs");
        }
    }
}
