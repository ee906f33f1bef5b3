package dev.pipedesk.local.gateway;

import dev.pipedesk.core.Json;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.local.lambda.TestFunctions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pipedesk.local.testing.JsonAssertions.assertTextsAt;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway over HTTP, in front of test handlers running in child JVMs. */
@Tag("e2e")
class LocalApiGatewayTest {
    @TempDir
    static Path dir;
    private static FunctionProcess echo;
    private static FunctionProcess authorizer;
    private static final AtomicInteger authorizerCalls = new AtomicInteger();
    private static final AtomicBoolean echoHealthy = new AtomicBoolean(true);
    private static LocalApiGateway gateway;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Counts invocations on the way through; everything else is the real child JVM. */
    private record Counting(LambdaFunction target, AtomicInteger calls) implements LambdaFunction {
        public String name() {
            return target.name();
        }

        public String invoke(String eventJson) throws FunctionInvocationException {
            calls.incrementAndGet();
            return target.invoke(eventJson);
        }

        public boolean isUp() {
            return target.isUp();
        }

        public void close() {
            target.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        echo = FunctionProcess.start(TestFunctions.echo("echo", Duration.ofSeconds(2)), LogSink.file("echo", dir));
        authorizer = FunctionProcess.start(TestFunctions.authorizer(), LogSink.file("authorizer", dir));
        Files.writeString(dir.resolve("openapi.yaml"), "openapi: 3.1.0\ninfo:\n  title: test\n");
        LambdaFunction countingAuthorizer = new Counting(authorizer, authorizerCalls);
        Map<String, LambdaFunction> functions = Map.of("echo", echo, LocalApiGateway.AUTHORIZER, countingAuthorizer);
        RouteTable routes = new RouteTable(List.of(
                Route.authorized("GET", "/api/things", "echo"),
                Route.authorized("POST", "/api/things/{id}", "echo"),
                Route.authorized("GET", "/api/missing", "not-built"),
                Route.open("POST", "/hooks/{source}", "echo")));
        gateway = LocalApiGateway.start(0, routes, functions::get,
                List.of(new LocalApiGateway.HealthCheck("echo", () -> echoHealthy.get() ? "up" : "down: testing")),
                dir.resolve("openapi.yaml"), LogSink.file("gateway", dir));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        echo.close();
        authorizer.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the echo function saw: the payload-2.0 event. */
    private static JsonNode eventSeen(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body()).get("event");
    }

    /** Sends a request and asserts that the gateway answered it without calling the authorizer. */
    private static HttpResponse<String> sendPastTheAuthorizer(String method, String path, String body, String... headers)
            throws Exception {
        int before = authorizerCalls.get();
        HttpResponse<String> response = send(method, path, body, headers);
        assertThat(authorizerCalls.get()).as("authorizer calls").isEqualTo(before);
        return response;
    }

    /** The gateway answered {@code status} with the JSON error {@code code}. */
    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).at("/error/code").asString()).isEqualTo(code);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void anUnknownPathsNotFoundMessageRepeatsOnlyAShortPrefixOfIt() throws Exception {
        String longPath = "/nowhere/" + "x".repeat(500);

        HttpResponse<String> response = send("GET", longPath, null);

        assertThat(response.statusCode()).isEqualTo(404);
        String message = json(response).at("/error/message").asString();
        assertThat(message).startsWith("No route for GET /nowhere/xxx").endsWith("….").hasSizeLessThan(80);
    }

    @Test
    void answers401WithoutCallingTheAuthorizerWhenTheAuthorizationHeaderIsMissing() throws Exception {
        HttpResponse<String> response = sendPastTheAuthorizer("GET", "/api/things", null);

        assertError(response, 401, "unauthorized");
        assertThat(json(response).at("/error/details").isNull()).isTrue();
    }

    @Test
    void answersTheAuthorizersDenialWithItsStatusCodeAndMessage() throws Exception {
        HttpResponse<String> unauthorized = send("GET", "/api/things", null, "Authorization", "Bearer nonsense");
        HttpResponse<String> forbidden = send("GET", "/api/things", null, "Authorization", "Bearer deny-403");

        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(json(unauthorized).at("/error/message").asString()).isEqualTo("The token is not valid.");
        assertError(forbidden, 403, "forbidden");
        assertThat(forbidden.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(forbidden).at("/error/message").asString()).isEqualTo("Sales may not do this.");
    }

    @Test
    void invokesTheRouteFunctionWithTheAuthorizerContextAndTheRequest() throws Exception {
        HttpResponse<String> response = send("POST", "/api/things/t-1?tag=a&tag=b", "{\"n\":1}",
                "Authorization", "Bearer allow", "Content-Type", "application/json", "X-Trace", "x1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode event = eventSeen(response);
        assertTextsAt(event,
                "/routeKey", "POST /api/things/{id}",
                "/pathParameters/id", "t-1",
                "/queryStringParameters/tag", "a,b",
                "/headers/x-trace", "x1",
                "/body", "{\"n\":1}",
                "/requestContext/authorizer/lambda/userId", "u-1",
                "/requestContext/authorizer/lambda/role", "sales");
        assertThat(event.at("/requestContext/requestId").asString())
                .isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
    }

    @Test
    void turnsTheFunctionsResponseBackIntoHttp() throws Exception {
        HttpResponse<String> response = send("GET", "/api/things", null, "Authorization", "Bearer allow");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-echo")).hasValue("yes");
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("session=abc; Path=/");
        assertThat(json(response).get("functionName").asString()).isEqualTo("echo");
    }

    @Test
    void infersA200JsonResponseWhenTheFunctionAnswersPlainJson() throws Exception {
        HttpResponse<String> response = send("POST", "/hooks/raw", "{\"action\":\"raw\"}", "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"plain\":true}");
    }

    @Test
    void openRoutesSkipTheAuthorizer() throws Exception {
        HttpResponse<String> response = sendPastTheAuthorizer("POST", "/hooks/google", "{}", "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(eventSeen(response).at("/requestContext/authorizer").isMissingNode()).isTrue();
    }

    @Test
    void answersJsonErrorsForUnknownPathsAndWrongMethods() throws Exception {
        HttpResponse<String> unknown = send("GET", "/api/nothing", null, "Authorization", "Bearer allow");
        HttpResponse<String> wrongMethod = send("DELETE", "/api/things", null, "Authorization", "Bearer allow");

        assertError(unknown, 404, "not_found");
        assertError(wrongMethod, 405, "method_not_allowed");
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void answers502WhenTheFunctionFailsOrIsNotRunningAnd504WhenItTimesOut() throws Exception {
        HttpResponse<String> failed = send("POST", "/hooks/x", "{\"action\":\"throw\"}", "Content-Type", "application/json");
        HttpResponse<String> missing = send("GET", "/api/missing", null, "Authorization", "Bearer allow");
        HttpResponse<String> timedOut = send("POST", "/hooks/x", "{\"action\":\"sleep\"}", "Content-Type", "application/json");

        assertError(failed, 502, "upstream_failed");
        assertThat(failed.body()).doesNotContain("IllegalStateException").doesNotContain("echo was asked to fail");
        assertThat(missing.statusCode()).isEqualTo(502);
        assertThat(json(missing).at("/error/message").asString()).contains("not-built");
        assertThat(Files.readString(dir.resolve("gateway.log"))).doesNotContain("echo was asked to fail");
        assertError(timedOut, 504, "upstream_timeout");
    }

    @Test
    void reportsHealthFromEveryComponent() throws Exception {
        HttpResponse<String> healthy = send("GET", "/health", null);
        echoHealthy.set(false);
        HttpResponse<String> unhealthy;
        try {
            unhealthy = send("GET", "/health", null);
        } finally {
            echoHealthy.set(true);
        }

        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(json(healthy).get("status").asString()).isEqualTo("ok");
        assertThat(json(healthy).at("/components/echo").asString()).isEqualTo("up");
        assertThat(unhealthy.statusCode()).isEqualTo(503);
        assertThat(json(unhealthy).at("/components/echo").asString()).isEqualTo("down: testing");
    }

    @Test
    void servesTheOpenApiDocumentWithoutAuthorization() throws Exception {
        HttpResponse<String> response = send("GET", "/openapi.yaml", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/yaml"));
        assertThat(response.body()).startsWith("openapi: 3.1.0");
    }

    @Test
    void neverWritesTheAuthorizationHeaderToItsLog() throws Exception {
        send("GET", "/api/things", null, "Authorization", "Bearer allow");
        send("GET", "/api/things", null, "Authorization", "Bearer deny-403");

        assertThat(Files.readString(dir.resolve("gateway.log")))
                .contains("GET /api/things -> 200")
                .doesNotContain("Bearer");
    }
}
