package dev.pipedesk.local.gateway;

import dev.pipedesk.auth.CorsSettings;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.Json;
import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway with the stack's real route table ({@link LocalFunctions#ROUTES}) in front of
 * in-process fakes of every function: Google's webhook reaches its function without an
 * {@code Authorization} header and without the authorizer, every {@code /api} route still needs
 * one; and the local {@code POST /_local/functions/{name}/invoke} route.
 */
class GatewayRoutingTest {
    @TempDir
    static Path dir;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Map<String, List<String>> events = new ConcurrentHashMap<>();
    private static final AtomicReference<ScheduledInvoker> invoker = new AtomicReference<>(ScheduledInvoker.NONE);
    private static LocalApiGateway gateway;

    /** Records each event it is invoked with and answers a fixed 200 (the authorizer: allowed). */
    private record Fake(String name) implements LambdaFunction {
        public String invoke(String eventJson) {
            events.computeIfAbsent(name, key -> new CopyOnWriteArrayList<>()).add(eventJson);
            return name.equals(LocalApiGateway.AUTHORIZER) ? "{\"isAuthorized\":true,\"context\":{\"sub\":\"u-1\"}}"
                    : "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{\\\"ok\\\":true}\"}";
        }

        public boolean isUp() {
            return true;
        }

        public void close() {
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Map<String, LambdaFunction> functions = new ConcurrentHashMap<>();
        for (LocalFunctions.Definition function : LocalFunctions.ALL) {
            functions.put(function.name(), new Fake(function.name()));
        }
        gateway = LocalApiGateway.start(0, new RouteTable(LocalFunctions.ROUTES), functions::get, List.of(), null,
                LogSink.file("gateway", dir), CorsSettings.none(), name -> invoker.get().invokeNow(name));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static List<String> eventsOf(String function) {
        return events.getOrDefault(function, List.of());
    }

    private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errorCode(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body()).at("/error/code").asString();
    }

    @Test
    void googlesNotificationReachesTheWebhookWithItsHeadersAndWithoutTheAuthorizer() throws Exception {
        int authorizerCalls = eventsOf(LocalApiGateway.AUTHORIZER).size();
        int webhookCalls = eventsOf("webhook").size();

        HttpResponse<String> response = send("POST", "/webhooks/google-calendar",
                "X-Goog-Channel-ID", "channel-1", "X-Goog-Channel-Token", "token-of-channel-1",
                "X-Goog-Resource-ID", "resource-1", "X-Goog-Resource-State", "exists", "X-Goog-Message-Number", "7",
                "X-Goog-Resource-URI", "https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json",
                "X-Goog-Channel-Expiration", "Tue, 01 Dec 2026 10:00:00 GMT");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(eventsOf(LocalApiGateway.AUTHORIZER)).as("authorizer invocations").hasSize(authorizerCalls);
        assertThat(eventsOf("webhook")).hasSize(webhookCalls + 1);
        JsonNode event = Json.MAPPER.readTree(eventsOf("webhook").getLast());
        assertThat(event.get("routeKey").asString()).isEqualTo("POST /webhooks/google-calendar");
        JsonNode headers = event.get("headers");
        assertThat(headers.get("x-goog-channel-id").asString()).isEqualTo("channel-1");
        assertThat(headers.get("x-goog-channel-token").asString()).isEqualTo("token-of-channel-1");
        assertThat(headers.get("x-goog-resource-id").asString()).isEqualTo("resource-1");
        assertThat(headers.get("x-goog-resource-state").asString()).isEqualTo("exists");
        assertThat(headers.get("x-goog-message-number").asString()).isEqualTo("7");
        assertThat(headers.get("x-goog-resource-uri").asString()).startsWith("https://www.googleapis.com/calendar/v3/");
        assertThat(headers.get("x-goog-channel-expiration").asString()).isEqualTo("Tue, 01 Dec 2026 10:00:00 GMT");
        assertThat(headers.has("authorization")).isFalse();
        assertThat(event.at("/requestContext/authorizer").isMissingNode()).as("no authorizer context").isTrue();
    }

    @Test
    void everyApiRouteStillAnswers401WithoutAnAuthorizationHeaderAndReachesNoFunction() throws Exception {
        List<ApiRoute> apiRoutes = Arrays.stream(ApiRoute.values())
                .filter(route -> route.servedBy() instanceof ApiRoute.ServedBy.Lambda).toList();
        assertThat(apiRoutes).isNotEmpty().allSatisfy(route -> assertThat(route.pathTemplate()).startsWith("/api/"));
        int calendarCalls = eventsOf("calendar").size();
        int timelineCalls = eventsOf("timeline").size();
        int authorizerCalls = eventsOf(LocalApiGateway.AUTHORIZER).size();

        for (ApiRoute route : apiRoutes) {
            String path = route.pathTemplate().replaceAll("\\{([a-z_]+)}", "$1-1");
            HttpResponse<String> response = send(route.method(), path);

            assertThat(response.statusCode()).as(route.routeKey()).isEqualTo(401);
            assertThat(errorCode(response)).as(route.routeKey()).isEqualTo("unauthorized");
        }
        assertThat(eventsOf("calendar")).hasSize(calendarCalls);
        assertThat(eventsOf("timeline")).hasSize(timelineCalls);
        assertThat(eventsOf(LocalApiGateway.AUTHORIZER)).hasSize(authorizerCalls);
    }

    @Test
    void anApiRouteWithAnAuthorizationHeaderGoesThroughTheAuthorizer() throws Exception {
        int authorizerCalls = eventsOf(LocalApiGateway.AUTHORIZER).size();

        HttpResponse<String> response = send("GET", "/api/calendar/channels", "Authorization", "Bearer anything");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(eventsOf(LocalApiGateway.AUTHORIZER)).hasSize(authorizerCalls + 1);
        JsonNode event = Json.MAPPER.readTree(eventsOf("calendar").getLast());
        assertThat(event.at("/requestContext/authorizer/lambda/sub").asString()).isEqualTo("u-1");
    }

    @Test
    void theInvokeRouteAnswersTheScheduledFunctionsOutputWithoutAuthorization() throws Exception {
        invoker.set(name -> new ScheduledInvoker.Ran("{\"jobs\":{\"outbox_relay\":{\"sent\":0,\"invoked\":\"" + name + "\"}}}"));
        int authorizerCalls = eventsOf(LocalApiGateway.AUTHORIZER).size();

        HttpResponse<String> response = send("POST", "/_local/functions/channel-renewal/invoke");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(Json.MAPPER.readTree(response.body()).at("/jobs/outbox_relay/invoked").asString()).isEqualTo("channel-renewal");
        assertThat(eventsOf(LocalApiGateway.AUTHORIZER)).hasSize(authorizerCalls);
    }

    @Test
    void theInvokeRouteExplainsWhyItRanNothing() throws Exception {
        invoker.set(name -> switch (name) {
            case "calendar" -> new ScheduledInvoker.NotScheduled("HTTP routes", List.of("channel-renewal"));
            case "channel-renewal" -> new ScheduledInvoker.NotRunning();
            default -> new ScheduledInvoker.UnknownFunction(List.of("calendar", "channel-renewal"));
        });

        HttpResponse<String> unknown = send("POST", "/_local/functions/no-such-function/invoke");
        HttpResponse<String> notScheduled = send("POST", "/_local/functions/calendar/invoke");
        HttpResponse<String> notRunning = send("POST", "/_local/functions/channel-renewal/invoke");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("not_found");
        assertThat(unknown.body()).contains("No function named no-such-function", "calendar, channel-renewal");
        assertThat(notScheduled.statusCode()).isEqualTo(422);
        assertThat(errorCode(notScheduled)).isEqualTo("validation_failed");
        assertThat(notScheduled.body()).contains("not invoked by a schedule", "HTTP routes", "channel-renewal");
        assertThat(notRunning.statusCode()).isEqualTo(502);
        assertThat(notRunning.body()).contains("not running");
    }

    @Test
    void theInvokeRouteAnswers502WhenTheFunctionFailsAnd504WhenItTimesOut() throws Exception {
        invoker.set(name -> {
            if (name.equals("slow")) {
                throw new FunctionInvocationException.Timeout(name, "Task timed out after 29 s");
            }
            throw new FunctionInvocationException.Unhandled(name, "{\"errorType\":\"java.lang.IllegalStateException\"}");
        });

        HttpResponse<String> failed = send("POST", "/_local/functions/channel-renewal/invoke");
        HttpResponse<String> timedOut = send("POST", "/_local/functions/slow/invoke");

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(errorCode(failed)).isEqualTo("upstream_failed");
        assertThat(failed.body()).contains("IllegalStateException");
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(errorCode(timedOut)).isEqualTo("upstream_timeout");
    }

    @Test
    void theLocalRoutesAnswer405ToAnotherMethod() throws Exception {
        HttpResponse<String> invoke = send("GET", "/_local/functions/channel-renewal/invoke");
        HttpResponse<String> health = send("POST", "/health");

        assertThat(invoke.statusCode()).isEqualTo(405);
        assertThat(invoke.headers().firstValue("allow")).hasValue("POST");
        assertThat(health.statusCode()).isEqualTo(405);
        assertThat(health.headers().firstValue("allow")).hasValue("GET");
    }
}
