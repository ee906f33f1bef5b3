package dev.pipedesk.local.gateway;

import dev.pipedesk.auth.CorsSettings;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What API Gateway does before any function runs: Lambda's 6 MB request limit (413) and CORS
 * (preflights answered by the gateway, headers for allowed origins). The functions are in-process
 * fakes that count their invocations.
 */
class GatewayLimitsAndCorsTest {
    private static final String APP = "https://app.example.com";

    @TempDir
    static Path dir;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final AtomicInteger invocations = new AtomicInteger();
    private static LocalApiGateway withCors;
    private static LocalApiGateway withoutCors;

    /** Answers a fixed output and counts its invocations. */
    private record Fake(String name, String output) implements LambdaFunction {
        public String invoke(String eventJson) {
            invocations.incrementAndGet();
            return output;
        }

        public boolean isUp() {
            return true;
        }

        public void close() {
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Map<String, LambdaFunction> functions = Map.of(
                LocalApiGateway.AUTHORIZER, new Fake(LocalApiGateway.AUTHORIZER, "{\"isAuthorized\":true,\"context\":{}}"),
                "things", new Fake("things", "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{}\"}"));
        RouteTable routes = new RouteTable(List.of(Route.authorized("GET", "/api/things", "things"),
                Route.authorized("POST", "/api/things", "things")));
        withCors = LocalApiGateway.start(0, routes, functions::get, List.of(), null, LogSink.file("cors", dir),
                new CorsSettings(List.of(APP)));
        withoutCors = LocalApiGateway.start(0, routes, functions::get, List.of(), null, LogSink.file("plain", dir));
    }

    @AfterAll
    static void stop() {
        withCors.close();
        withoutCors.close();
    }

    private static HttpResponse<String> send(LocalApiGateway gateway, String method, HttpRequest.BodyPublisher body,
                                             String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/things")).method(method, body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answers413ForABodyOverSixMegabytesBeforeAnyFunctionRuns() throws Exception {
        int before = invocations.get();

        HttpResponse<String> tooLarge = send(withoutCors, "POST",
                HttpRequest.BodyPublishers.ofByteArray(new byte[LocalApiGateway.MAX_REQUEST_BODY_BYTES + 1]),
                "Authorization", "Bearer any");

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(Json.MAPPER.readTree(tooLarge.body()).at("/error/code").asString()).isEqualTo("payload_too_large");
        assertThat(invocations.get()).isEqualTo(before);
    }

    @Test
    void passesABodyOfExactlySixMegabytes() throws Exception {
        HttpResponse<String> largest = send(withoutCors, "POST",
                HttpRequest.BodyPublishers.ofByteArray(new byte[LocalApiGateway.MAX_REQUEST_BODY_BYTES]),
                "Authorization", "Bearer any");

        assertThat(largest.statusCode()).isEqualTo(200);
    }

    @Test
    void answersAPreflightFromAnAllowedOriginItselfWithTheAllowedMethodsAndHeaders() throws Exception {
        int before = invocations.get();

        HttpResponse<String> preflight = send(withCors, "OPTIONS", HttpRequest.BodyPublishers.noBody(),
                "Origin", APP, "Access-Control-Request-Method", "PATCH",
                "Access-Control-Request-Headers", "authorization,content-type,if-match");

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(preflight.headers().firstValue("access-control-allow-methods").orElseThrow()).contains("PATCH");
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElseThrow())
                .contains("authorization", "content-type", "if-match");
        assertThat(invocations.get()).isEqualTo(before);
    }

    @Test
    void addsTheCorsHeadersToResponsesForAnAllowedOriginOnly() throws Exception {
        HttpResponse<String> allowed = send(withCors, "GET", HttpRequest.BodyPublishers.noBody(),
                "Origin", APP, "Authorization", "Bearer any");
        HttpResponse<String> other = send(withCors, "GET", HttpRequest.BodyPublishers.noBody(),
                "Origin", "https://evil.example", "Authorization", "Bearer any");
        HttpResponse<String> otherPreflight = send(withCors, "OPTIONS", HttpRequest.BodyPublishers.noBody(),
                "Origin", "https://evil.example", "Access-Control-Request-Method", "GET");

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(allowed.headers().firstValue("access-control-expose-headers").orElseThrow()).contains("etag");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(otherPreflight.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void withoutCorsConfiguredAPreflightIsAnOrdinaryRequestAndNoCorsHeaderIsAdded() throws Exception {
        HttpResponse<String> preflight = send(withoutCors, "OPTIONS", HttpRequest.BodyPublishers.noBody(),
                "Origin", APP, "Access-Control-Request-Method", "GET");
        HttpResponse<String> get = send(withoutCors, "GET", HttpRequest.BodyPublishers.noBody(),
                "Origin", APP, "Authorization", "Bearer any");

        assertThat(preflight.statusCode()).isEqualTo(405);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(get.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void readsTheAllowedOriginsFromACommaList() {
        CorsSettings two = CorsSettings.fromEnv(new Env(Map.of("CORS_ALLOWED_ORIGINS", " https://a.example , http://localhost:5173/ ")));

        assertThat(two.allowedOrigins()).containsExactly("https://a.example", "http://localhost:5173");
        assertThat(CorsSettings.fromEnv(new Env(Map.of())).enabled()).isFalse();
        assertThatThrownBy(() -> CorsSettings.fromEnv(new Env(Map.of("CORS_ALLOWED_ORIGINS", "app.example.com"))))
                .hasMessageContaining("CORS_ALLOWED_ORIGINS");
    }
}
