package dev.pipedesk.local.gateway;

import dev.pipedesk.core.Utf8;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the events API Gateway HTTP APIs send to Lambda with payload format 2.0: the
 * integration event ({@code APIGatewayV2HTTPEvent}) and the {@code REQUEST} authorizer event.
 * The maps keep AWS's field names and order and serialise to the same JSON.
 *
 * <p>The rules followed (AWS docs, "Working with AWS Lambda proxy integrations for HTTP APIs"):
 * header names lower-cased, repeated headers and query parameters joined with commas, cookies
 * moved from the {@code cookie} header to {@code cookies}, query values percent-decoded,
 * {@code rawPath}/{@code rawQueryString} as sent, absent optional fields left out, non-text
 * bodies base64-encoded. API Gateway's own {@code x-forwarded-*} and {@code x-amzn-trace-id}
 * headers are added.
 */
public final class PayloadV2 {
    public static final String ACCOUNT_ID = "000000000000";
    public static final String API_ID = "local";
    public static final String REGION = "us-east-1";
    public static final String STAGE = "$default";

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private PayloadV2() {
    }

    /** The integration event for a matched route; {@code authorizerContext} null for open routes. */
    public static Map<String, Object> integrationEvent(GatewayRequest request, RouteTable.Found match,
                                                       Map<String, Object> authorizerContext, int localPort) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        putRequest(event, request, match, localPort);
        Map<String, Object> context = requestContext(request, match);
        if (authorizerContext != null) {
            context.put("authorizer", Map.of("lambda", authorizerContext));
        }
        event.put("requestContext", context);
        Body body = body(request);
        if (body.value() != null) {
            event.put("body", body.value());
        }
        putIfPresent(event, "pathParameters", match.pathParameters());
        event.put("isBase64Encoded", body.base64());
        return event;
    }

    /**
     * The {@code REQUEST} authorizer event (payload 2.0) with the identity source
     * {@code $request.header.Authorization}.
     */
    public static Map<String, Object> authorizerEvent(GatewayRequest request, RouteTable.Found match,
                                                      String authorization, int localPort) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        event.put("routeArn", routeArn(request));
        event.put("identitySource", List.of(authorization));
        putRequest(event, request, match, localPort);
        event.put("requestContext", requestContext(request, match));
        putIfPresent(event, "pathParameters", match.pathParameters());
        return event;
    }

    /** What both events say about the request, from {@code routeKey} to {@code queryStringParameters}. */
    private static void putRequest(Map<String, Object> event, GatewayRequest request, RouteTable.Found match, int localPort) {
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery());
        putIfPresent(event, "cookies", cookies(request));
        event.put("headers", headers(request, localPort));
        putIfPresent(event, "queryStringParameters", queryParameters(request.rawQuery()));
    }

    /** {@code arn:aws:execute-api:region:account:api/stage/METHOD/path}. */
    static String routeArn(GatewayRequest request) {
        return "arn:aws:execute-api:" + REGION + ":" + ACCOUNT_ID + ":" + API_ID + "/" + STAGE + "/"
                + request.methodUpper() + request.rawPath();
    }

    private static Map<String, Object> requestContext(GatewayRequest request, RouteTable.Found match) {
        String host = request.header("host").map(PayloadV2::withoutPort).orElse("localhost");
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", request.methodUpper());
        http.put("path", decodePath(request.rawPath()));
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", request.header("user-agent").orElse(""));

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", ACCOUNT_ID);
        context.put("apiId", API_ID);
        context.put("domainName", host);
        context.put("domainPrefix", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        context.put("http", http);
        context.put("requestId", request.requestId());
        context.put("routeKey", match.route().routeKey());
        context.put("stage", STAGE);
        context.put("time", REQUEST_TIME.format(request.receivedAt()));
        context.put("timeEpoch", request.receivedAt().toEpochMilli());
        return context;
    }

    /** Lower-cased names, repeated headers comma-joined, without {@code cookie}, plus API Gateway's own. */
    static Map<String, String> headers(GatewayRequest request, int localPort) {
        Map<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                continue;
            }
            headers.merge(name, header.getValue(), (a, b) -> a + "," + b);
        }
        headers.merge("x-forwarded-for", request.sourceIp(), (a, b) -> a + ", " + b);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(localPort));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.put("x-amzn-trace-id", traceId(request));
        return headers;
    }

    static List<String> cookies(GatewayRequest request) {
        List<String> cookies = new ArrayList<>();
        for (String header : request.headerValues("cookie")) {
            for (String cookie : header.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.trim());
                }
            }
        }
        return cookies;
    }

    /** Percent-decoded names and values; a repeated name's values comma-joined in order. */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decodeQuery(pair.substring(equals + 1));
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    record Body(String value, boolean base64) {
    }

    /**
     * Text bodies as they are; anything else base64, as API Gateway does. A body of a text type
     * that is not valid UTF-8 is passed base64-encoded too, bytes unchanged, so the function sees
     * what was sent (and refuses it) rather than U+FFFD replacement characters; what API Gateway
     * does with such a body is not documented.
     */
    static Body body(GatewayRequest request) {
        if (request.body().length == 0) {
            return new Body(null, false);
        }
        String contentType = request.header("content-type").orElse("");
        if (isText(contentType)) {
            Optional<String> text = Utf8.decode(request.body());
            if (text.isPresent()) {
                return new Body(text.get(), false);
            }
        }
        return new Body(Base64.getEncoder().encodeToString(request.body()), true);
    }

    static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return type.startsWith("text/")
                || type.equals("application/json")
                || type.endsWith("+json")
                || type.equals("application/xml")
                || type.endsWith("+xml")
                || type.equals("application/javascript")
                || type.equals("application/yaml")
                || type.equals("application/graphql");
    }

    private static String traceId(GatewayRequest request) {
        String hex = request.requestId().replace("-", "");
        long seconds = request.receivedAt().getEpochSecond();
        return "Root=1-" + String.format("%08x", seconds) + "-" + (hex + "000000000000000000000000").substring(0, 24);
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    private static String decodePath(String rawPath) {
        try {
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return rawPath;
        }
    }

    /** Lenient like API Gateway: a malformed escape is passed on as sent. */
    private static String decodeQuery(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return value;
        }
    }

    private static void putIfPresent(Map<String, Object> event, String name, Map<String, String> value) {
        if (value != null && !value.isEmpty()) {
            event.put(name, value);
        }
    }

    private static void putIfPresent(Map<String, Object> event, String name, List<String> value) {
        if (value != null && !value.isEmpty()) {
            event.put(name, value);
        }
    }
}
