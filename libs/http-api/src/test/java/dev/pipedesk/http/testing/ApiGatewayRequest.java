package dev.pipedesk.http.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One API request as API Gateway hands it to a function behind the Lambda authorizer (payload
 * 2.0): route key, path parameters, query, headers, a text or a binary (base64) body, and the
 * caller in {@code requestContext.authorizer.lambda}. For tests that call an
 * {@code ApiFunction} in-process.
 *
 * <pre>{@code
 * APIGatewayV2HTTPResponse response = calendarApi.apply(ApiGatewayRequest.to(ApiRoute.GET_EVENT)
 *         .path("id", id).by(principal).toEvent());
 * }</pre>
 */
public final class ApiGatewayRequest {
    private final ApiRoute route;
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private boolean base64;
    private Principal caller;

    private ApiGatewayRequest(ApiRoute route) {
        this.route = route;
    }

    public static ApiGatewayRequest to(ApiRoute route) {
        return new ApiGatewayRequest(route);
    }

    public ApiGatewayRequest path(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public ApiGatewayRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public ApiGatewayRequest header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    /** A text body (e.g. {@code application/json}), passed as it is. */
    public ApiGatewayRequest body(String text) {
        this.body = text;
        this.base64 = false;
        return this;
    }

    /** Body bytes as API Gateway passes a binary body: base64-encoded, {@code isBase64Encoded: true}. */
    public ApiGatewayRequest bytes(byte[] raw) {
        this.body = Base64.getEncoder().encodeToString(raw);
        this.base64 = true;
        return this;
    }

    /** The verified caller the authorizer passes on. */
    public ApiGatewayRequest by(Principal principal) {
        this.caller = principal;
        return this;
    }

    public ApiRoute route() {
        return route;
    }

    /** The caller the request is made by, or null. */
    public Principal caller() {
        return caller;
    }

    public APIGatewayV2HTTPEvent toEvent() {
        String method = route.routeKey().substring(0, route.routeKey().indexOf(' '));
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(rawPath()).withProtocol("HTTP/1.1").withSourceIp("203.0.113.9")
                .withUserAgent("pipedesk-tests").build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId("test-" + Integer.toHexString(System.identityHashCode(this)))
                .withRouteKey(route.routeKey())
                .withHttp(http);
        if (caller != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withLambda(caller.toAuthorizerContext()).build());
        }
        Map<String, String> allHeaders = new LinkedHashMap<>(headers);
        allHeaders.putIfAbsent("content-type", "application/json");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(rawPath())
                .withRawQueryString(query.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&")))
                .withPathParameters(pathParameters.isEmpty() ? null : Map.copyOf(pathParameters))
                .withQueryStringParameters(query.isEmpty() ? null : Map.copyOf(query))
                .withHeaders(allHeaders)
                .withBody(body)
                .withIsBase64Encoded(base64)
                .withRequestContext(context.build())
                .build();
    }

    /** The route's path with the path parameters filled in, percent-encoded. */
    public String rawPath() {
        String path = route.routeKey().substring(route.routeKey().indexOf(' ') + 1);
        for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
            path = path.replace("{" + parameter.getKey() + "}", encode(parameter.getValue()));
        }
        return path;
    }

    /** What a failed check should print: method, path, query, headers and the start of the body. */
    @Override
    public String toString() {
        String shownBody = body == null ? "(none)" : (base64 ? "base64:" : "") + escaped(body);
        return route.routeKey() + " path=" + escaped(pathParameters.toString()) + " query=" + escaped(query.toString())
                + " headers=" + escaped(headers.toString()) + " body=" + shownBody;
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(text.length(), 600);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > limit ? out.append("…(" + text.length() + " chars)").toString() : out.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
