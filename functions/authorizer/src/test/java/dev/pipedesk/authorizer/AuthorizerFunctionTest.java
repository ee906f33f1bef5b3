package dev.pipedesk.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.TokenIssuer;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.testing.ConsoleCapture;
import dev.pipedesk.testing.LambdaFunctionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the authorizer exactly as Lambda does ({@link LambdaFunctionHarness}:
 * {@link FunctionInvoker#handleRequest}) with a payload 2.0 authorizer event (the request of
 * {@code events/authorizer-request.json}), reading the JSON it writes back. Everything printed while the
 * context starts and handles requests is captured, to prove no token ever reaches the logs.
 */
class AuthorizerFunctionTest {
    private static final String SECRET = "authorizer-test-secret-0123456789abcdef";

    private static final List<String> TOKENS_SENT = new ArrayList<>();
    private static ConsoleCapture console;
    private static LambdaFunctionHarness function;

    private final TokenIssuer issuer = new TokenIssuer(JwtSettings.hs256(SECRET));

    @BeforeAll
    static void startTheFunctionLikeLambdaDoes() {
        console = ConsoleCapture.install();
        function = LambdaFunctionHarness.start(AuthorizerApplication.class,
                Map.of(JwtSettings.Variable.JWT_HS256_SECRET.name(), SECRET));
    }

    @AfterAll
    static void noTokenSentByAnyTestWasPrinted() {
        String printed = console.text();
        try {
            assertThat(TOKENS_SENT).isNotEmpty();
            for (String sent : TOKENS_SENT) {
                assertThat(printed).doesNotContain(sent).doesNotContain(sent.substring(sent.lastIndexOf('.') + 1));
            }
        } finally {
            restoreConsole();
        }
    }

    private static void restoreConsole() {
        console.close();
        function.close();
    }

    private String token(String role) {
        return issuer.issue("user-" + role, role + "@example.com", role, Duration.ofMinutes(10));
    }

    private static APIGatewayV2CustomAuthorizerEvent event(String method, String path, String routeKey,
                                                           String authorizationHeader) {
        var event = EventLoader.loadAPIGatewayV2CustomAuthorizerEvent("events/authorizer-request.json");
        event.setRouteKey(routeKey);
        event.setRawPath(path);
        event.setRouteArn("arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/" + method + path);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.getRequestContext().setRouteKey(routeKey);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("authorization");
        if (authorizationHeader != null) {
            headers.put("authorization", authorizationHeader);
        }
        event.setHeaders(headers);
        event.setIdentitySource(authorizationHeader == null ? List.of() : List.of(authorizationHeader));
        return event;
    }

    private static JsonNode invoke(APIGatewayV2CustomAuthorizerEvent event) {
        return invoke(LambdaEventJson.write(event));
    }

    private static JsonNode invoke(String rawEvent) {
        return Json.MAPPER.readTree(function.invoke(rawEvent));
    }

    private JsonNode call(String method, String path, String routeKey, String token) {
        TOKENS_SENT.add(token);
        return invoke(event(method, path, routeKey, "Bearer " + token));
    }

    @Test
    void authorizesAValidAdminTokenAndPassesThePrincipalOn() {
        JsonNode response = call("GET", "/api/audit-logs", "GET /api/audit-logs", token("admin"));

        assertThat(response.get("isAuthorized").asBoolean()).isTrue();
        assertThat(Json.MAPPER.convertValue(response.get("context"), Map.class))
                .isEqualTo(Map.of("userId", "user-admin", "email", "admin@example.com", "role", "admin"));
        assertThat(response.propertyNames()).containsExactlyInAnyOrder("isAuthorized", "context");
    }

    @Test
    void deniesAnExpiredTokenWith401() {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        String expired = new TokenIssuer(JwtSettings.hs256(SECRET), Clock.fixed(anHourAgo, ZoneOffset.UTC))
                .issue("user-1", "a@example.com", "admin", Duration.ofMinutes(5));

        JsonNode response = call("GET", "/api/calendar/events", "GET /api/calendar/events", expired);

        assertDenied(response, 401, "The access token has expired.");
    }

    @Test
    void deniesATokenWithoutAnAppRoleWith403() {
        JsonNode response = call("GET", "/api/calendar/events", "GET /api/calendar/events", token("authenticated"));

        assertDenied(response, 403);
    }

    @Test
    void deniesAViewerCreatingAnEventWith403() {
        JsonNode response = call("POST", "/api/calendar/events", "POST /api/calendar/events", token("viewer"));

        assertDenied(response, 403, "This request needs the sales role or higher.");
    }

    @Test
    void letsAClientListEvents() {
        JsonNode response = call("GET", "/api/calendar/events", "GET /api/calendar/events", token("client"));

        assertThat(response.get("isAuthorized").asBoolean()).isTrue();
        assertThat(response.get("context").get("role").asString()).isEqualTo("client");
        assertThat(response.get("context").get("userId").asString()).isEqualTo("user-client");
    }

    @Test
    void deniesARequestWithoutAuthorizationHeaderWith401() {
        JsonNode response = invoke(event("GET", "/api/calendar/events", "GET /api/calendar/events", null));

        assertDenied(response, 401);
    }

    @Test
    void deniesABareTokenWithoutTheBearerSchemeWith401() {
        String token = token("admin");
        TOKENS_SENT.add(token);

        JsonNode response = invoke(event("GET", "/api/audit-logs", "GET /api/audit-logs", token));

        assertDenied(response, 401, "Send the access token as 'Authorization: Bearer <token>'.");
    }

    @Test
    void readsTheAuthorizationHeaderInAnyCase() {
        String token = token("sales");
        TOKENS_SENT.add(token);
        APIGatewayV2CustomAuthorizerEvent event = event("POST", "/api/calendar/events", "POST /api/calendar/events", null);
        event.getHeaders().put("Authorization", "Bearer " + token);

        assertThat(invoke(event).get("isAuthorized").asBoolean()).isTrue();
    }

    @Test
    void deniesRoutesOutsideThePolicyEvenToAdmins() {
        JsonNode response = call("GET", "/anything", "$default", token("admin"));

        assertDenied(response, 403);
    }

    @Test
    void deniesAnUnreadableEventWithoutEchoingIt() {
        String token = token("admin");
        TOKENS_SENT.add(token);

        JsonNode response = invoke("{\"version\":\"2.0\",\"headers\":{\"authorization\":\"Bearer " + token + "\"");

        assertDenied(response, 401);
    }

    @Test
    void noTokenReachesTheLogs() {
        String token = token("manager");
        JsonNode response = call("GET", "/api/audit-logs/entity/{entity_type}/{entity_id}".replace("{entity_type}", "lead").replace("{entity_id}", "42"),
                "GET /api/audit-logs/entity/{entity_type}/{entity_id}", token);
        call("POST", "/api/calendar/watch", "POST /api/calendar/watch", token);
        call("GET", "/api/calendar/events", "GET /api/calendar/events", token + "x");
        System.out.flush();
        System.err.flush();

        String logs = console.text();
        assertThat(response.get("isAuthorized").asBoolean()).isTrue();
        assertThat(logs).as("the capture saw the context start").contains("AuthorizerApplication");
        assertThat(logs).as("denials are logged as security events").contains("security: authorizer denied");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertThat(logs).doesNotContain(token).doesNotContain(signature)
                .doesNotContain("Bearer ey").doesNotContain("sb-access-token");
    }

    /** The response denies the call with {@code status} and its code (401 unauthorized, 403 forbidden). */
    private static void assertDenied(JsonNode response, int status) {
        assertThat(response.get("isAuthorized").asBoolean()).isFalse();
        JsonNode context = response.get("context");
        assertThat(context.get("status").isInt()).isTrue();
        assertThat(context.get("status").asInt()).isEqualTo(status);
        assertThat(context.get("code").asString()).isEqualTo(status == 401 ? "unauthorized" : "forbidden");
    }

    private static void assertDenied(JsonNode response, int status, String message) {
        assertDenied(response, status);
        assertThat(response.get("context").get("message").asString()).isEqualTo(message);
    }
}
