package dev.pipedesk.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.Utf8;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Converts API Gateway HTTP API (payload 2.0) events to {@link HttpRequest} and back. */
public final class ApiGatewayEvents {
    private ApiGatewayEvents() {
    }

    /**
     * The request an event carries. A body API Gateway base64-encoded (a binary content type, or
     * none) is decoded as UTF-8, strictly. Only methods that carry a body (POST, PUT, PATCH) keep
     * one: the body of a GET or DELETE is not read, so it can never fail the request.
     *
     * @throws ApiException 400 when a body that is read is not valid UTF-8 (or not base64)
     */
    public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.put(k.toLowerCase(Locale.ROOT), v);
                }
            });
        }
        var context = event.getRequestContext();
        String method = null;
        String sourceIp = null;
        String userAgent = null;
        String requestId = null;
        Map<String, Object> authorizer = Map.of();
        if (context != null) {
            requestId = context.getRequestId();
            if (context.getHttp() != null) {
                method = context.getHttp().getMethod();
                sourceIp = context.getHttp().getSourceIp();
                userAgent = context.getHttp().getUserAgent();
            }
            if (context.getAuthorizer() != null && context.getAuthorizer().getLambda() != null) {
                authorizer = withoutNullValues(context.getAuthorizer().getLambda());
            }
        }
        String routeKey = event.getRouteKey();
        if (method == null && routeKey != null && routeKey.contains(" ")) {
            method = routeKey.substring(0, routeKey.indexOf(' '));
        }
        String body = carriesBody(method) ? event.getBody() : null;
        if (body != null && event.getIsBase64Encoded()) {
            body = base64Utf8(body);
        }
        return new HttpRequest(routeKey, method, event.getRawPath(), withoutNullValues(event.getPathParameters()),
                withoutNullValues(event.getQueryStringParameters()), headers, body, requestId, sourceIp, userAgent,
                authorizer);
    }

    public static APIGatewayV2HTTPResponse toResponse(HttpResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        String body = null;
        if (response.body() != null) {
            headers.put("content-type", "application/json");
            // A body already written as JSON (RenderedJson) is that text, not written again.
            body = response.body() instanceof RenderedJson<?> rendered ? rendered.json() : Json.write(response.body());
        }
        headers.put("cache-control", "no-store");
        response.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    private static boolean carriesBody(String method) {
        return method != null && switch (method.toUpperCase(Locale.ROOT)) {
            case "POST", "PUT", "PATCH" -> true;
            default -> false;
        };
    }

    private static String base64Utf8(String body) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException notBase64) {
            throw ApiException.badRequest("The request body could not be read.");
        }
        return Utf8.decode(bytes).orElseThrow(() -> ApiException.badRequest("The request body is not valid UTF-8."));
    }

    private static <V> Map<String, V> withoutNullValues(Map<String, V> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, V> copy = new HashMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
