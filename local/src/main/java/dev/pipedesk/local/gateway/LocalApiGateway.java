package dev.pipedesk.local.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.Json;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A local stand-in for an API Gateway HTTP API with a Lambda authorizer (payload 2.0, simple
 * responses, identity source {@code $request.header.Authorization}).
 *
 * <p>For each request: match a route (404 / 405 JSON errors otherwise); on an authorized route,
 * answer 401 at once when the {@code Authorization} header is missing or empty, else invoke the
 * authorizer function and answer its denial (status, code and message from its context; a 401
 * carries {@code WWW-Authenticate: Bearer}); then
 * invoke the route's function with the payload-2.0 event, carrying the authorizer's context in
 * {@code requestContext.authorizer.lambda}, and turn its response back into HTTP. Function
 * failures become 502, timeouts 504, always as {@code {"error":{...}}} JSON.
 *
 * <p>Besides the routes it serves the local-only routes of {@link ApiRoute}: {@code GET /health}
 * (200 only when every component is up) and {@code GET /openapi.yaml}, both without authorization. The access log never contains header
 * values, so no token reaches it.
 */
public final class LocalApiGateway implements AutoCloseable {
    /** The name under which the authorizer function is looked up. */
    public static final String AUTHORIZER = "authorizer";

    /** One component for {@code /health}: its status is {@code "up"} when healthy, else what is wrong. */
    public record HealthCheck(String name, Supplier<String> status) {
    }

    private final RouteTable routes;
    private final Function<String, LambdaFunction> functions;
    private final List<HealthCheck> healthChecks;
    private final Path openApiDocument;
    private final LogSink accessLog;
    private final HttpServer server;
    private final ExecutorService executor;

    private LocalApiGateway(RouteTable routes, Function<String, LambdaFunction> functions, List<HealthCheck> healthChecks,
                            Path openApiDocument, LogSink accessLog, int port) throws IOException {
        this.routes = routes;
        this.functions = functions;
        this.healthChecks = List.copyOf(healthChecks);
        this.openApiDocument = openApiDocument;
        this.accessLog = accessLog;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param port            0 picks a free port
     * @param functions       function by name ({@link #AUTHORIZER} for the authorizer); null when not running
     * @param openApiDocument served at {@code /openapi.yaml} when the file exists (may be null)
     */
    public static LocalApiGateway start(int port, RouteTable routes, Function<String, LambdaFunction> functions,
                                        List<HealthCheck> healthChecks, Path openApiDocument, LogSink accessLog)
            throws IOException {
        return new LocalApiGateway(Objects.requireNonNull(routes), Objects.requireNonNull(functions), healthChecks,
                openApiDocument, Objects.requireNonNull(accessLog), port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** e.g. {@code http://127.0.0.1:3000} (no trailing slash). */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // --- request handling --------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        GatewayRequest request;
        HttpResult result;
        String target = "-";
        try (exchange) {
            try {
                request = read(exchange);
            } catch (IOException e) {
                return; // the client went away while sending
            }
            Handled handled;
            try {
                handled = route(request);
            } catch (RuntimeException e) {
                accessLog.line("gateway failure on " + request.methodUpper() + " " + request.rawPath() + ": " + e);
                handled = new Handled("-", HttpResult.error(500, ErrorCode.INTERNAL, "The local gateway failed."));
            }
            result = handled.result().withHeader("apigw-requestid", request.requestId());
            target = handled.target();
            write(exchange, request, result);
            long millis = (System.nanoTime() - started) / 1_000_000;
            accessLog.line(request.methodUpper() + " " + request.rawPath() + " -> " + result.status()
                    + " (" + target + ", " + millis + " ms)");
        }
    }

    private record Handled(String target, HttpResult result) {
    }

    private Handled route(GatewayRequest request) {
        String method = request.methodUpper();
        ApiRoute localRoute = ApiRoute.withRouteKey(method + " " + request.rawPath());
        if (localRoute != null && localRoute.localOnly()) {
            return answerLocally(localRoute);
        }
        RouteTable.Match match;
        try {
            match = routes.match(method, request.rawPath());
        } catch (IllegalArgumentException e) {
            return new Handled("-", HttpResult.error(400, ErrorCode.BAD_REQUEST, "The request path is not valid."));
        }
        return switch (match) {
            case RouteTable.NotFound ignored -> new Handled("-",
                    HttpResult.error(404, ErrorCode.NOT_FOUND, "No route for " + method + " " + request.rawPath() + "."));
            case RouteTable.MethodNotAllowed notAllowed -> new Handled("-",
                    HttpResult.error(405, ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + request.rawPath() + ".")
                            .withHeader("allow", String.join(", ", notAllowed.allowedMethods())));
            case RouteTable.Found found -> dispatch(request, found);
        };
    }

    /** The routes only this gateway serves (marked local-only in {@link ApiRoute}). */
    private Handled answerLocally(ApiRoute route) {
        return switch (route) {
            case HEALTH -> new Handled("health", health());
            case OPENAPI_DOCUMENT -> new Handled("openapi", openApi());
            default -> throw new IllegalStateException("The local gateway has no answer for " + route.routeKey());
        };
    }

    private Handled dispatch(GatewayRequest request, RouteTable.Found found) {
        String functionName = found.route().function();
        Map<String, Object> authorizerContext = null;
        if (found.route().authorized()) {
            String authorization = String.join(",", request.headerValues("authorization"));
            if (authorization.isBlank()) {
                return new Handled(AUTHORIZER, withBearerChallenge(HttpResult.error(401, ErrorCode.UNAUTHORIZED,
                        "The Authorization header is missing.")));
            }
            LambdaFunction authorizer = functions.apply(AUTHORIZER);
            if (authorizer == null) {
                return new Handled(AUTHORIZER, notRunning(AUTHORIZER));
            }
            LambdaResponses.Verdict verdict;
            try {
                String output = authorizer.invoke(Json.write(
                        PayloadV2.authorizerEvent(request, found, authorization, port())));
                verdict = LambdaResponses.toVerdict(output);
            } catch (FunctionInvocationException e) {
                accessLog.line("authorizer failed: " + e.getMessage());
                return new Handled(AUTHORIZER, HttpResult.error(500, ErrorCode.INTERNAL, "The authorizer failed."));
            } catch (LambdaResponses.MalformedResponse e) {
                accessLog.line("authorizer answered badly: " + e.getMessage());
                return new Handled(AUTHORIZER, HttpResult.error(500, ErrorCode.INTERNAL, "The authorizer failed."));
            }
            switch (verdict) {
                case LambdaResponses.Denied denied -> {
                    return new Handled(AUTHORIZER, withBearerChallenge(
                            HttpResult.error(denied.status(), denied.code(), denied.message())));
                }
                case LambdaResponses.Allowed allowed -> authorizerContext = allowed.context();
            }
        }
        LambdaFunction function = functions.apply(functionName);
        if (function == null) {
            return new Handled(functionName, notRunning(functionName));
        }
        String event = Json.write(PayloadV2.integrationEvent(request, found, authorizerContext, port()));
        try {
            return new Handled(functionName, LambdaResponses.toHttp(function.invoke(event)));
        } catch (FunctionInvocationException.Timeout e) {
            return new Handled(functionName, HttpResult.error(504, ErrorCode.UPSTREAM_TIMEOUT,
                    "The " + functionName + " function did not answer in time."));
        } catch (FunctionInvocationException e) {
            accessLog.line(e.getMessage());
            return new Handled(functionName, HttpResult.error(502, ErrorCode.UPSTREAM_FAILED,
                    "The " + functionName + " function failed."));
        } catch (LambdaResponses.MalformedResponse e) {
            accessLog.line(functionName + " answered badly: " + e.getMessage());
            return new Handled(functionName, HttpResult.error(502, ErrorCode.UPSTREAM_FAILED,
                    "The " + functionName + " function returned an invalid response."));
        }
    }

    /** RFC 6750 §3: a 401 names the scheme the client must use. */
    private static HttpResult withBearerChallenge(HttpResult result) {
        return result.status() == 401 ? result.withHeader("www-authenticate", "Bearer") : result;
    }

    private static HttpResult notRunning(String function) {
        return HttpResult.error(502, ErrorCode.UPSTREAM_FAILED, "The " + function
                + " function is not running in this local stack (is functions/" + function
                + "/target/lambda built? run ./pipedesk build).");
    }

    private HttpResult health() {
        Map<String, String> components = new LinkedHashMap<>();
        boolean allUp = true;
        for (HealthCheck check : healthChecks) {
            String status;
            try {
                status = check.status().get();
            } catch (RuntimeException e) {
                status = "down: " + e.getMessage();
            }
            components.put(check.name(), status);
            allUp &= "up".equals(status);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", allUp ? "ok" : "unavailable");
        body.put("components", components);
        return HttpResult.json(allUp ? 200 : 503, body);
    }

    private HttpResult openApi() {
        if (openApiDocument == null || !Files.isRegularFile(openApiDocument)) {
            return HttpResult.error(404, ErrorCode.NOT_FOUND, "No OpenAPI document (docs/api/openapi.yaml) in this checkout.");
        }
        try {
            return new HttpResult(200, List.of(Map.entry("content-type", "application/yaml; charset=utf-8")),
                    Files.readAllBytes(openApiDocument));
        } catch (IOException e) {
            return HttpResult.error(500, ErrorCode.INTERNAL, "The OpenAPI document could not be read.");
        }
    }

    // --- HTTP plumbing -------------------------------------------------------------------------

    private static GatewayRequest read(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new GatewayRequest(exchange.getRequestMethod(), path, uri.getRawQuery(), headers, body,
                exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol(),
                UUID.randomUUID().toString(), Instant.now());
    }

    private static void write(HttpExchange exchange, GatewayRequest request, HttpResult result) throws IOException {
        result.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        boolean noBody = result.body().length == 0 || request.methodUpper().equals("HEAD")
                || result.status() == 204 || result.status() == 304;
        exchange.sendResponseHeaders(result.status(), noBody ? -1 : result.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(result.body());
            }
        }
    }
}
