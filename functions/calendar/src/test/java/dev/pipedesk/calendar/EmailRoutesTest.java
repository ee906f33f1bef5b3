package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The e-mail routes as API Gateway invokes the calendar function (payload 2.0 requests from
 * {@code events/log-email.json}, {@code list-emails.json}, {@code unlink-email.json}), on real
 * PostgreSQL and ElasticMQ: statuses, the answer's shape, the route policy and the ownership rule.
 * Each test logs messages and entities of its own.
 */
@Tag("integration")
class EmailRoutesTest {
    @RegisterExtension
    static final OutboxTestEnvironment environment = new OutboxTestEnvironment();

    private static final Principal SALES_2 = new Principal("user-sales-2", "s2@example.com", Role.SALES);
    private static final Principal MANAGER = new Principal("user-manager", "m@example.com", Role.MANAGER);
    private static final Principal CLIENT = new Principal("user-client", "c@example.com", Role.CLIENT);
    private static final Principal VIEWER = new Principal("user-viewer", "v@example.com", Role.VIEWER);

    private ApiFunction calendarApi;
    private String messageId;
    private String deal;

    @BeforeEach
    void startFunction() {
        SqsOutboxSender sender = SqsOutboxSender.fromEnv(new Env(environment.producerEnvironment()));
        EmailService emails = new EmailService(environment.dataSource(),
                new AuditOutbox(environment.dataSource(), sender, Clock.systemUTC()), Clock.systemUTC());
        calendarApi = new ApiFunction(RoutePolicy.standard(), new CalendarRoutes(null, null, new EmailRoutes(emails)));
        messageId = "<" + UUID.randomUUID() + "@mail.example.com>";
        deal = "d-" + UUID.randomUUID();
    }

    private record Answer(int status, Map<String, String> headers, JsonNode body) {
        String errorCode() {
            return body.at("/error/code").asString();
        }
    }

    private Answer call(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = calendarApi.apply(event);
        return new Answer(response.getStatusCode(), response.getHeaders(),
                response.getBody() == null ? null : Json.MAPPER.readTree(response.getBody()));
    }

    private static APIGatewayV2HTTPEvent fixture(String name) {
        return EventLoader.loadApiGatewayHttpEvent("events/" + name);
    }

    private static APIGatewayV2HTTPEvent as(APIGatewayV2HTTPEvent event, Principal principal) {
        event.getRequestContext().getAuthorizer().setLambda(new HashMap<>(principal.toAuthorizerContext()));
        return event;
    }

    /** The fixture's log request with this test's message id and the entity given. */
    private APIGatewayV2HTTPEvent log(String entityType, String entityId) {
        APIGatewayV2HTTPEvent event = fixture("log-email.json");
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        body.put("message_id", messageId);
        body.put("entity_type", entityType);
        body.put("entity_id", entityId);
        event.setBody(Json.write(body));
        return event;
    }

    private APIGatewayV2HTTPEvent list(Map<String, String> query) {
        APIGatewayV2HTTPEvent event = fixture("list-emails.json");
        Map<String, String> parameters = new HashMap<>(event.getQueryStringParameters());
        parameters.put("entity_id", deal);
        parameters.putAll(query);
        event.setQueryStringParameters(parameters);
        return event;
    }

    private static APIGatewayV2HTTPEvent unlink(String id) {
        APIGatewayV2HTTPEvent event = fixture("unlink-email.json");
        event.setPathParameters(Map.of("id", id));
        event.setRawPath("/api/emails/" + id);
        return event;
    }

    @Test
    void logsTheFixturesEmailWith201AndShowsItSnakeCaseWithTheTimeInUtc() {
        Answer logged = call(log("deal", deal));

        assertThat(logged.status()).isEqualTo(201);
        assertThat(logged.headers()).containsEntry("content-type", "application/json");
        JsonNode email = logged.body();
        assertThat(email.get("id").asString()).matches("[0-9a-f-]{36}");
        assertThat(email.get("message_id").asString()).isEqualTo(messageId);
        assertThat(email.get("thread_id").asString()).isEqualTo("<CAF=0a0b0c@mail.example.com>");
        assertThat(email.get("direction").asString()).isEqualTo("inbound");
        assertThat(email.get("from").asString()).isEqualTo("ana.buyer@example.com");
        assertThat(email.get("to").valueStream().map(JsonNode::asString)).containsExactly("sales.one@pipedesk.example");
        assertThat(email.get("cc").valueStream().map(JsonNode::asString)).containsExactly("procurement@example.com");
        assertThat(email.get("subject").asString()).isEqualTo("Re: Proposal for the annual plan");
        assertThat(email.get("sent_at").asString()).isEqualTo("2026-03-01T14:05:00Z");
        assertThat(email.get("entity_type").asString()).isEqualTo("deal");
        assertThat(email.get("entity_id").asString()).isEqualTo(deal);
        assertThat(email.get("logged_by").asString()).isEqualTo("user-sales-1");
        assertThat(email.has("logged_at")).isTrue();
        assertThat(email.get("unlinked_at").isNull()).isTrue();
        assertThat(email.get("unlinked_by").isNull()).isTrue();
    }

    @Test
    void aReplayAnswers200WithTheSameEmailAndAnotherEntity409NamingWhereItIsLogged() {
        String id = call(log("deal", deal)).body().get("id").asString();

        Answer replay = call(log("deal", deal));
        Answer conflict = call(log("lead", "l-1"));

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("id").asString()).isEqualTo(id);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.errorCode()).isEqualTo("conflict");
        assertThat(conflict.body().at("/error/details")).isEqualTo(Json.MAPPER.readTree(
                "{\"email_id\":\"" + id + "\",\"entity_type\":\"deal\",\"entity_id\":\"" + deal + "\"}"));
    }

    @Test
    void anInvalidBodyIs422WithEveryProblem() {
        APIGatewayV2HTTPEvent event = log("deal", deal);
        event.setBody("{\"message_id\":\"<x@y>\",\"direction\":\"inbound\",\"from\":\"nope\",\"to\":[],"
                + "\"sent_at\":\"2026-03-01T11:05:00\",\"entity_type\":\"deal\",\"entity_id\":\"d\"}");

        Answer refused = call(event);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo("validation_failed");
        assertThat(refused.body().at("/error/details").valueStream().map(d -> d.get("field").asString()))
                .containsExactlyInAnyOrder("from", "to", "sent_at");
    }

    @Test
    void listsAnEntitysEmailsNewestFirstAndWalksThemByCursor() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            messageId = "<" + UUID.randomUUID() + "@mail.example.com>";
            APIGatewayV2HTTPEvent event = log("deal", deal);
            ObjectNode body = (ObjectNode) Json.MAPPER.readTree(event.getBody());
            body.put("sent_at", "2026-03-0" + (i + 1) + "T10:00:00Z");
            event.setBody(Json.write(body));
            ids.addFirst(call(event).body().get("id").asString());
        }

        Answer first = call(list(Map.of()));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("items").valueStream().map(e -> e.get("id").asString())).containsExactlyElementsOf(ids);
        assertThat(first.body().get("pagination")).isEqualTo(Json.MAPPER.readTree(
                "{\"limit\":20,\"next_cursor\":null,\"total\":3}"));

        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = new HashMap<>(Map.of("limit", "1"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            Answer page = call(list(query));
            assertThat(page.status()).isEqualTo(200);
            page.body().get("items").forEach(e -> walked.add(e.get("id").asString()));
            cursor = page.body().at("/pagination/next_cursor").isNull() ? null
                    : page.body().at("/pagination/next_cursor").asString();
        } while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(ids);

        Answer tampered = call(list(Map.of("cursor", "bm90IGEgY3Vyc29y")));
        assertThat(tampered.status()).isEqualTo(422);
        assertThat(tampered.body().at("/error/details/0/field").asString()).isEqualTo("cursor");
    }

    @Test
    void theLoggerAndManagersUnlinkAnotherSalesUserMayNotAndUnknownIdsAre404() {
        String byOwner = call(log("deal", deal)).body().get("id").asString();
        messageId = "<" + UUID.randomUUID() + "@mail.example.com>";
        String byManager = call(log("deal", deal)).body().get("id").asString();

        Answer other = call(as(unlink(byOwner), SALES_2));
        Answer owner = call(unlink(byOwner));
        Answer manager = call(as(unlink(byManager), MANAGER));
        Answer unknown = call(unlink(UUID.randomUUID().toString()));

        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body().at("/error/message").asString()).isEqualTo("You may only unlink e-mails you logged.");
        assertThat(owner.status()).isEqualTo(200);
        assertThat(owner.body().get("unlinked_by").asString()).isEqualTo("user-sales-1");
        assertThat(manager.status()).isEqualTo(200);
        assertThat(manager.body().get("unlinked_by").asString()).isEqualTo("user-manager");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(call(list(Map.of())).body().at("/pagination/total").asLong()).isZero();
    }

    @Test
    void aViewerMayListButNotLogAndAClientMayDoNeither() {
        assertThat(call(list(Map.of())).status()).isEqualTo(200);
        assertThat(call(as(log("deal", deal), VIEWER)).status()).isEqualTo(403);
        assertThat(call(as(list(Map.of()), CLIENT)).status()).isEqualTo(403);
        assertThat(call(as(log("deal", deal), CLIENT)).status()).isEqualTo(403);
        assertThat(call(as(unlink(UUID.randomUUID().toString()), VIEWER)).status()).isEqualTo(403);
    }
}
