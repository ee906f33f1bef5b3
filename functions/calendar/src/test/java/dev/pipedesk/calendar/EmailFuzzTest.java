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
import dev.pipedesk.http.testing.FuzzRun;
import dev.pipedesk.http.testing.HostileInput;
import dev.pipedesk.testing.OutboxTestEnvironment;
import dev.pipedesk.testing.TableDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private static final Map<String, String> VALID_LOG = HostileInput.fields(
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
    void hostileRequestsNeverGetA5xxAndA4xxWritesNothing() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, String> valid = new LinkedHashMap<>(VALID_LOG);
            valid.put("message_id", "\"<fuzz-seed-" + i + "-" + SEED + "@mail.example.com>\"");
            ids.add(send(ApiGatewayRequest.to(ApiRoute.LOG_EMAIL).by(OWNER).body(HostileInput.object(valid)))
                    .get("id").asString());
        }
        FuzzRun.Answers answers = new FuzzRun(SEED, TRIES)
                .unchangedByRefusals("crm_emails or the audit outbox", this::digest)
                .afterAnswer((request, response) -> {
                    if (response.getStatusCode() == 201) {
                        ids.add(Json.MAPPER.readTree(response.getBody()).get("id").asString());
                    }
                })
                .run(calendarApi, hostile -> nextRequest(hostile, ids));
        answers.assertEveryRouteAcceptedAndRefused(FUZZED_ROUTES);
    }

    private static ApiGatewayRequest nextRequest(HostileInput hostile, List<String> ids) {
        ApiRoute route = hostile.oneOf(FUZZED_ROUTES);
        ApiGatewayRequest request = ApiGatewayRequest.to(route).by(hostile.oneOf(CALLERS));
        switch (route) {
            case LOG_EMAIL -> hostile.body(request, VALID_LOG, BODY_FIELDS);
            case UNLINK_EMAIL -> request.path("id", hostile.id(ids));
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

    private JsonNode send(ApiGatewayRequest request) {
        APIGatewayV2HTTPResponse response = calendarApi.apply(request.toEvent());
        assertThat(response.getStatusCode()).as(response.getBody()).isLessThan(300);
        return Json.MAPPER.readTree(response.getBody());
    }

    /** Every e-mail row and every outbox event id, as one hash: equal before and after means nothing was written. */
    private String digest() throws SQLException {
        return TableDigest.rows(digestConnection, "crm_emails") + ":"
                + TableDigest.column(digestConnection, "audit_outbox", "event_id");
    }
}
