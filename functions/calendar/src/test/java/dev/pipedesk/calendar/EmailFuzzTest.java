package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.testing.ApiGatewayRequest;
import dev.pipedesk.http.testing.HostileInput;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Random and mutated bodies, ids and query strings driven through the e-mail routes, as API
 * Gateway invokes the calendar function, on real PostgreSQL and ElasticMQ. Whatever arrives: never
 * a 5xx, and a 4xx is the JSON error shape and writes nothing — {@code crm_emails} and the audit
 * outbox's events are what they were. The audit queue is down, so every event stays in the outbox
 * where the check sees it. The seed and the number of tries are fixed: every run sends the same
 * {@value #TRIES} requests, and a failure names the request.
 */
@Tag("integration")
class EmailFuzzTest {
    @RegisterExtension
    static final OutboxTestEnvironment environment = new OutboxTestEnvironment();

    private static final long SEED = 20_261_202L;
    private static final int TRIES = 400;
    private static final Principal OWNER = new Principal("fuzz-email-sales", "sales@example.com", Role.SALES);
    private static final List<Principal> CALLERS = List.of(OWNER, OWNER,
            new Principal("fuzz-email-sales-2", "sales2@example.com", Role.SALES),
            new Principal("fuzz-email-manager", "manager@example.com", Role.MANAGER),
            new Principal("fuzz-email-viewer", "viewer@example.com", Role.VIEWER),
            new Principal("fuzz-email-client", "client@example.com", Role.CLIENT));

    private static final Map<String, String> VALID_LOG = orderedFields(
            "message_id", "\"<fuzz-1@mail.example.com>\"", "thread_id", "\"t-1\"", "direction", "\"outbound\"",
            "from", "\"ana@example.com\"", "to", "[\"bo@example.com\",{\"email\":\"cy@example.com\"}]",
            "cc", "[\"dee@example.com\"]", "subject", "\"Fuzzed\"", "snippet", "\"Hello\"",
            "sent_at", "\"2026-03-01T11:00:00-03:00\"", "entity_type", "\"deal\"", "entity_id", "\"fuzz-d-1\"");
    /** Writes more often than reads. */
    private static final List<ApiRoute> FUZZED_ROUTES = List.of(ApiRoute.LOG_EMAIL, ApiRoute.LOG_EMAIL,
            ApiRoute.LOG_EMAIL, ApiRoute.LIST_EMAILS, ApiRoute.LIST_EMAILS, ApiRoute.UNLINK_EMAIL, ApiRoute.UNLINK_EMAIL);
    private static final List<String> BODY_FIELDS = List.of("message_id", "messageId", "thread_id", "threadId",
            "direction", "from", "to", "cc", "subject", "snippet", "sent_at", "sentAt", "entity_type", "entityType",
            "entity_id", "entityId");
    private static final List<String> QUERY_PARAMETERS = List.of("entity_type", "entityType", "entity_id", "entityId",
            "limit", "cursor");

    private ApiFunction calendarApi;
    private Connection digestConnection;

    @BeforeEach
    void startFunction() throws SQLException {
        SqsOutboxSender queueDown = SqsOutboxSender.fromEnv(new Env(environment.producerEnvironmentWithSqsDown()));
        EmailService emails = new EmailService(environment.dataSource(),
                new AuditOutbox(environment.dataSource(), queueDown, Clock.systemUTC()), Clock.systemUTC());
        calendarApi = new ApiFunction(RoutePolicy.standard(), new CalendarRoutes(null, null, new EmailRoutes(emails)));
        digestConnection = environment.dataSource().getConnection();
    }

    @AfterEach
    void closeConnection() throws SQLException {
        digestConnection.close();
    }

    @Test
    void hostileRequestsNeverGetA5xxAndA4xxWritesNothing() throws SQLException {
        HostileInput hostile = new HostileInput(SEED);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, String> valid = new LinkedHashMap<>(VALID_LOG);
            valid.put("message_id", "\"<fuzz-seed-" + i + "-" + SEED + "@mail.example.com>\"");
            ids.add(send(ApiGatewayRequest.to(ApiRoute.LOG_EMAIL).by(OWNER).body(HostileInput.object(valid)))
                    .get("id").asString());
        }
        List<String> failures = new ArrayList<>();
        Map<String, Integer> answers = new TreeMap<>();
        for (int attempt = 1; attempt <= TRIES && failures.size() < 10; attempt++) {
            ApiGatewayRequest request = nextRequest(hostile, ids);
            String before = digest();

            APIGatewayV2HTTPResponse response = calendarApi.apply(request.toEvent());
            answers.merge(request.route() + " " + response.getStatusCode(), 1, Integer::sum);

            String problem = problemWith(response, before);
            if (problem != null) {
                failures.add("#" + attempt + " (seed " + SEED + "): " + problem + "\n    " + request);
            } else if (response.getStatusCode() == 201) {
                ids.add(Json.MAPPER.readTree(response.getBody()).get("id").asString());
            }
        }
        assertThat(failures).as("requests that broke a rule").isEmpty();
        // Not vacuous: every route both accepted and refused some of the requests.
        assertThat(FUZZED_ROUTES).allSatisfy(route -> assertThat(answers.keySet()).as("answers: %s", answers)
                .anyMatch(answer -> answer.startsWith(route + " 2"))
                .anyMatch(answer -> answer.startsWith(route + " 4")));
    }

    /** What is wrong with this answer, or null when nothing is. */
    private String problemWith(APIGatewayV2HTTPResponse response, String before) throws SQLException {
        int status = response.getStatusCode();
        if (status >= 500) {
            return "answered " + status + " " + response.getBody();
        }
        if (status < 400) {
            return null;
        }
        JsonNode body = Json.MAPPER.readTree(response.getBody());
        if (!body.at("/error/code").isString() || !body.at("/error/message").isString()) {
            return "answered " + status + " without the error shape: " + response.getBody();
        }
        if (!digest().equals(before)) {
            return "answered " + status + " after writing crm_emails or the audit outbox";
        }
        return null;
    }

    private static ApiGatewayRequest nextRequest(HostileInput hostile, List<String> ids) {
        ApiRoute route = hostile.oneOf(FUZZED_ROUTES);
        ApiGatewayRequest request = ApiGatewayRequest.to(route).by(hostile.oneOf(CALLERS));
        switch (route) {
            case LOG_EMAIL -> body(request, hostile);
            case UNLINK_EMAIL -> request.path("id", id(hostile, ids));
            case LIST_EMAILS -> {
                if (hostile.chance(0.5)) {
                    request.query("entity_type", "deal").query("entity_id", "fuzz-d-1");
                }
                for (int i = hostile.between(0, 4); i > 0; i--) {
                    request.query(hostile.chance(0.9) ? hostile.oneOf(QUERY_PARAMETERS) : hostile.text(),
                            hostile.chance(0.6) ? hostile.text()
                                    : hostile.oneOf("10", "0", "201", "deal", "lead", "fuzz-d-1", "eyJ2IjoxfQ"));
                }
            }
            default -> throw new IllegalStateException("not fuzzed: " + route);
        }
        return request;
    }

    /** A known e-mail's id (sometimes damaged) or an odd string. */
    private static String id(HostileInput hostile, List<String> ids) {
        return switch (hostile.between(0, 5)) {
            case 0, 1 -> hostile.oneOf(ids);
            case 2 -> hostile.mutate(hostile.oneOf(ids));
            default -> hostile.text();
        };
    }

    private static void body(ApiGatewayRequest request, HostileInput hostile) {
        switch (hostile.between(0, 10)) {
            case 0, 1 -> request.body(HostileInput.object(VALID_LOG));
            case 2 -> request.body(hostile.jsonValue(3));
            case 3 -> request.body(HostileInput.nested(Json.maxNestingDepth() + hostile.between(-3, 4)));
            case 4 -> request.bytes(hostile.notUtf8(HostileInput.object(VALID_LOG)));
            case 5 -> request.body(hostile.chance(0.5) ? null : hostile.text());
            default -> request.body(hostile.mutatedObject(VALID_LOG, BODY_FIELDS));
        }
    }

    private JsonNode send(ApiGatewayRequest request) {
        APIGatewayV2HTTPResponse response = calendarApi.apply(request.toEvent());
        assertThat(response.getStatusCode()).as(response.getBody()).isLessThan(300);
        return Json.MAPPER.readTree(response.getBody());
    }

    /** Every e-mail row and every outbox event id, as one hash: equal before and after means nothing was written. */
    private String digest() throws SQLException {
        try (Statement query = digestConnection.createStatement();
             ResultSet rs = query.executeQuery("select coalesce(md5(string_agg(t::text, '|' order by t.id)), '') "
                     + "|| ':' || (select coalesce(md5(string_agg(event_id::text, '|' order by event_id)), '') "
                     + "from audit_outbox) from crm_emails t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, String> orderedFields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(fields);
    }
}
