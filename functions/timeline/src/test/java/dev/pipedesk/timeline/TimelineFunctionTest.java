package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.postgres.DatabaseSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The timeline function driven as Lambda does (FunctionInvoker with the HTTP API payload 2.0
 * request {@code events/http-api-request.json}): what its shell answers before any route reads
 * the database. No database runs: the pool connects on first use, and these requests never use it.
 */
class TimelineFunctionTest {
    private static LambdaFunctionHarness function;

    @BeforeAll
    static void start() {
        function = LambdaFunctionHarness.start(TimelineApplication.class,
                Map.of(DatabaseSettings.Variable.DATABASE_URL.name(), "jdbc:postgresql://127.0.0.1:1/never-connected"));
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static APIGatewayV2HTTPEvent request() {
        return EventLoader.loadApiGatewayHttpEvent("events/http-api-request.json");
    }

    private static JsonNode invoke(String rawEvent) {
        return Json.MAPPER.readTree(function.invoke(rawEvent));
    }

    private static JsonNode errorOf(JsonNode response) {
        return Json.MAPPER.readTree(response.get("body").asString()).get("error");
    }

    @Test
    void answersABadTimelineQueryWith422BeforeReadingTheDatabase() {
        APIGatewayV2HTTPEvent request = request();
        request.setPathParameters(Map.of("entity_type", "account", "entity_id", "42"));
        request.setQueryStringParameters(Map.of("types", "calls", "since", "2026-03-01T12:00:00"));

        JsonNode response = invoke(LambdaEventJson.write(request));

        assertThat(response.get("statusCode").asInt()).isEqualTo(422);
        assertThat(response.get("headers").get("content-type").asString()).isEqualTo("application/json");
        JsonNode error = errorOf(response);
        assertThat(error.get("code").asString()).isEqualTo("validation_failed");
        List<String> fields = new ArrayList<>();
        error.get("details").forEach(detail -> fields.add(detail.get("field").asString()));
        assertThat(fields).containsExactly("entity_type", "types", "since");
    }

    @Test
    void refusesARequestWithoutTheAuthorizersPrincipalWith401() {
        APIGatewayV2HTTPEvent request = request();
        request.getRequestContext().setAuthorizer(null);

        JsonNode response = invoke(LambdaEventJson.write(request));

        assertThat(response.get("statusCode").asInt()).isEqualTo(401);
        assertThat(errorOf(response).get("code").asString()).isEqualTo("unauthorized");
    }

    @Test
    void answersAnUnreadableEventWith400() {
        JsonNode response = invoke("{\"version\":\"2.0\",\"headers\":");

        assertThat(response.get("statusCode").asInt()).isEqualTo(400);
        assertThat(errorOf(response).get("code").asString()).isEqualTo("bad_request");
    }
}
