package dev.pipedesk.local.gateway;

import dev.pipedesk.auth.CorsSettings;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.ApiException;
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
 * <p>As API Gateway in front of Lambda: a request body over {@value #MAX_REQUEST_BODY_BYTES} bytes
 * (Lambda's 6 MB payload limit) is answered 413 before any authorizer or function runs; with
 * {@link CorsSettings} it answers CORS preflights itself and adds the CORS headers for allowed
 * origins. Its {@code HttpServer} runs with TCP_NODELAY (see {@link #NODELAY_PROPERTY}).
 *
 * <p>A route without authorizer ({@link Route#open}, e.g. Google's webhook, which authenticates
 * each notification by its channel token) reaches its function with the request's headers as sent
 * and no authorizer context.
 *
 * <p>Besides the routes it serves the local-only routes of {@link ApiRoute}, all without authorization:
 * {@code GET /health} (200 only when every component is up), {@code GET /openapi.yaml}, the API
 * reference page {@code GET /docs} (Swagger UI over it, with its files under {@code /docs/assets/};
 * {@link ApiReferencePage}), and
 * {@code POST /_local/functions/{name}/invoke}, which runs a scheduled function once now
 * ({@link ScheduledInvoker}) and answers its JSON output. The access log never contains header
 * values, so no token reaches it.
 */
public final class LocalApiGateway implements AutoCloseable {
    /** The name under which the authorizer function is looked up. */
    public static final String AUTHORIZER = "authorizer";
    /** Lambda's synchronous invocation payload limit: larger request bodies never reach a function. */
    public static final int MAX_REQUEST_BODY_BYTES = 6 * 1024 * 1024;
    /** Read and discarded at most this much of a too-large body, so the client sees the 413. */
    private static final long MAX_DISCARDED_BYTES = 64L * 1024 * 1024;
    /**
     * The JDK's HttpServer leaves TCP_NODELAY off unless this property is set before its first
     * server starts; Nagle's algorithm then holds the last segment of a response of more than one
     * segment until the client's delayed ACK, about 40 ms later.
     */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        System.setProperty(NODELAY_PROPERTY, "true");
    }

    /** One component for {@code /health}: its status is {@code "up"} when healthy, else what is wrong. */
    public record HealthCheck(String name, Supplier<String> status) {
    }

    /** The local-only routes of {@link ApiRoute}, each as an open route whose "function" is the enum constant's name. */
    private static final RouteTable LOCAL_ROUTES = new RouteTable(java.util.Arrays.stream(ApiRoute.values())
            .filter(ApiRoute::localOnly).map(route -> Route.open(route.method(), route.pathTemplate(), route.name())).toList());

    private final RouteTable routes;
    private final Function<String, LambdaFunction> functions;
    private final ScheduledInvoker scheduled;
    private final List<HealthCheck> healthChecks;
    private final Path openApiDocument;
    private final ApiReferencePage apiReference;
    private final LogSink accessLog;
    private final CorsSettings cors;
    private final HttpServer server;
    private final ExecutorService executor;

    private LocalApiGateway(RouteTable routes, Function<String, LambdaFunction> functions, List<HealthCheck> healthChecks,
                            Path openApiDocument, LogSink accessLog, CorsSettings cors, ScheduledInvoker scheduled, int port)
            throws IOException {
        this.routes = routes;
        this.functions = functions;
        this.scheduled = scheduled;
        this.healthChecks = List.copyOf(healthChecks);
        this.openApiDocument = openApiDocument;
        this.apiReference = ApiReferencePage.load();
        this.accessLog = accessLog;
        this.cors = cors;
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
        return start(port, routes, functions, healthChecks, openApiDocument, accessLog, CorsSettings.none());
    }

    /** As above, with CORS as the HTTP API's CORS configuration would answer it. */
    public static LocalApiGateway start(int port, RouteTable routes, Function<String, LambdaFunction> functions,
                                        List<HealthCheck> healthChecks, Path openApiDocument, LogSink accessLog,
                                        CorsSettings cors) throws IOException {
        return start(port, routes, functions, healthChecks, openApiDocument, accessLog, cors, ScheduledInvoker.NONE);
    }

    /** As above; {@code scheduled} runs the functions {@code POST /_local/functions/{name}/invoke} names. */
    public static LocalApiGateway start(int port, RouteTable routes, Function<String, LambdaFunction> functions,
                                        List<HealthCheck> healthChecks, Path openApiDocument, LogSink accessLog,
                                        CorsSettings cors, ScheduledInvoker scheduled) throws IOException {
        return new LocalApiGateway(Objects.requireNonNull(routes), Objects.requireNonNull(functions), healthChecks,
                openApiDocument, Objects.requireNonNull(accessLog), Objects.requireNonNull(cors),
                Objects.requireNonNull(scheduled), port);
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
            boolean bodyTooLarge;
            try {
                request = read(exchange);
                bodyTooLarge = request == null;
                if (bodyTooLarge) {
                    request = withoutBody(exchange);
                }
            } catch (IOException e) {
                return; // the client went away while sending
            }
            Handled handled;
            try {
                handled = bodyTooLarge ? new Handled("-", HttpResult.error(413, ErrorCode.PAYLOAD_TOO_LARGE,
                        "The request body is larger than " + MAX_REQUEST_BODY_BYTES / (1024 * 1024) + " MB."))
                        : isCorsPreflight(request) ? new Handled("cors", corsPreflight(request)) : route(request);
                handled = new Handled(handled.target(), withCorsHeaders(request, handled.result()));
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
        RouteTable.Match match;
        try {
            RouteTable.Match local = LOCAL_ROUTES.match(method, request.rawPath());
            if (local instanceof RouteTable.Found found) {
                return answerLocally(request, ApiRoute.valueOf(found.route().function()), found.pathParameters());
            }
            match = routes.match(method, request.rawPath());
            if (match instanceof RouteTable.NotFound && local instanceof RouteTable.MethodNotAllowed) {
                match = local;
            }
        } catch (IllegalArgumentException e) {
            return new Handled("-", HttpResult.error(400, ErrorCode.BAD_REQUEST, "The request path is not valid."));
        }
        return switch (match) {
            case RouteTable.NotFound ignored -> new Handled("-",
                    HttpResult.error(404, ErrorCode.NOT_FOUND, "No route for " + method + " " + ApiException.excerpt(request.rawPath()) + "."));
            case RouteTable.MethodNotAllowed notAllowed -> new Handled("-",
                    HttpResult.error(405, ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + request.rawPath() + ".")
                            .withHeader("allow", String.join(", ", notAllowed.allowedMethods())));
            case RouteTable.Found found -> dispatch(request, found);
        };
    }

    /** The routes only this gateway serves (marked local-only in {@link ApiRoute}). */
    private Handled answerLocally(GatewayRequest request, ApiRoute route, Map<String, String> pathParameters) {
        return switch (route) {
            case HEALTH -> new Handled("health", health());
            case OPENAPI_DOCUMENT -> new Handled("openapi", openApi());
            case API_REFERENCE -> new Handled("docs", apiReference.page(request));
            case API_REFERENCE_ASSET -> new Handled("docs", apiReference.asset(request, pathParameters.get("file")));
            case INVOKE_FUNCTION -> invokeScheduled(pathParameters.get("name"));
            default -> throw new IllegalStateException("The local gateway has no answer for " + route.routeKey());
        };
    }

    /** {@code POST /_local/functions/{name}/invoke}: the function's output (200), or why it did not run. */
    private Handled invokeScheduled(String name) {
        ScheduledInvoker.Outcome outcome;
        try {
            outcome = scheduled.invokeNow(name);
        } catch (FunctionInvocationException.Timeout e) {
            return new Handled(name, HttpResult.error(504, ErrorCode.UPSTREAM_TIMEOUT,
                    "The " + name + " function did not answer in time."));
        } catch (FunctionInvocationException e) {
            accessLog.line(e.getMessage());
            return new Handled(name, HttpResult.error(502, ErrorCode.UPSTREAM_FAILED, "The " + name
                    + " function failed (" + e.getMessage() + "; see its log)."));
        }
        String shown = ApiException.excerpt(name);
        return switch (outcome) {
            case ScheduledInvoker.Ran ran -> new Handled(name, jsonOutput(name, ran.output()));
            case ScheduledInvoker.UnknownFunction unknown -> new Handled("-", HttpResult.error(404, ErrorCode.NOT_FOUND,
                    "No function named " + shown + " in this stack" + (unknown.known().isEmpty() ? "."
                            : " (its functions: " + String.join(", ", unknown.known()) + ").")));
            case ScheduledInvoker.NotScheduled notScheduled -> new Handled(name, HttpResult.error(422,
                    ErrorCode.VALIDATION_FAILED, "The " + shown + " function is not invoked by a schedule (it is invoked by "
                            + notScheduled.trigger() + "); only scheduled functions can be invoked here"
                            + (notScheduled.scheduled().isEmpty() ? "." : ": " + String.join(", ", notScheduled.scheduled()) + ".")));
            case ScheduledInvoker.NotRunning ignored -> new Handled(name, notRunning(name));
        };
    }

    /** A function's output as a 200 JSON response; 502 when it is not JSON. */
    private HttpResult jsonOutput(String name, String output) {
        try {
            if (output == null || output.isBlank() || Json.MAPPER.readTree(output) == null) {
                throw new IllegalArgumentException("no output");
            }
        } catch (RuntimeException e) {
            accessLog.line(name + " answered something that is not JSON: " + ApiException.excerpt(String.valueOf(output)));
            return HttpResult.error(502, ErrorCode.UPSTREAM_FAILED, "The " + name + " function returned no JSON.");
        }
        return new HttpResult(200, List.of(Map.entry("content-type", "application/json")),
                output.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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

    // --- CORS (the HTTP API's corsConfiguration) -------------------------------------------------

    /** A browser's preflight: OPTIONS with {@code Origin} and {@code Access-Control-Request-Method}. */
    private boolean isCorsPreflight(GatewayRequest request) {
        return cors.enabled() && request.methodUpper().equals("OPTIONS")
                && !request.headerValues("origin").isEmpty()
                && !request.headerValues("access-control-request-method").isEmpty();
    }

    /** 204, with the allowed methods and headers when the origin is allowed (without: the browser refuses). */
    private HttpResult corsPreflight(GatewayRequest request) {
        HttpResult result = new HttpResult(204, List.of(), null);
        if (!cors.allows(request.headerValues("origin").getFirst())) {
            return result;
        }
        return result.withHeader("access-control-allow-methods", String.join(",", CorsSettings.ALLOWED_METHODS))
                .withHeader("access-control-allow-headers", String.join(",", CorsSettings.ALLOWED_HEADERS))
                .withHeader("access-control-max-age", Integer.toString(CorsSettings.MAX_AGE_SECONDS));
    }

    private HttpResult withCorsHeaders(GatewayRequest request, HttpResult result) {
        List<String> origin = request.headerValues("origin");
        if (!cors.enabled()) {
            return result;
        }
        HttpResult varied = result.withHeader("vary", "origin");
        if (origin.isEmpty() || !cors.allows(origin.getFirst())) {
            return varied;
        }
        return varied.withHeader("access-control-allow-origin", cors.allowOriginValue(origin.getFirst()))
                .withHeader("access-control-expose-headers", String.join(",", CorsSettings.EXPOSED_HEADERS));
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

    /** The request, or null when its body is larger than {@link #MAX_REQUEST_BODY_BYTES} (then discarded). */
    private static GatewayRequest read(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange);
        return body == null ? null : request(exchange, body);
    }

    private static GatewayRequest withoutBody(HttpExchange exchange) {
        return request(exchange, new byte[0]);
    }

    /** At most {@link #MAX_REQUEST_BODY_BYTES}; null for more, after reading (up to a bound) what the client sends. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        java.io.InputStream in = exchange.getRequestBody();
        String length = exchange.getRequestHeaders().getFirst("content-length");
        boolean declaredTooLarge = length != null && length.trim().matches("\\d{1,19}")
                && Long.parseLong(length.trim()) > MAX_REQUEST_BODY_BYTES;
        byte[] body = declaredTooLarge ? null : in.readNBytes(MAX_REQUEST_BODY_BYTES);
        if (body != null && in.read() < 0) {
            return body;
        }
        long discarded = 0;
        byte[] buffer = new byte[64 * 1024];
        int read;
        while (discarded < MAX_DISCARDED_BYTES && (read = in.read(buffer)) >= 0) {
            discarded += read;
        }
        return null;
    }

    private static GatewayRequest request(HttpExchange exchange, byte[] body) {
        URI uri = exchange.getRequestURI();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
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
