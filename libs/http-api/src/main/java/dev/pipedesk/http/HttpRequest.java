package dev.pipedesk.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An API request as a plain value: what the business code may see of an API Gateway event.
 * Header names are lower-case. The caller is the principal the authorizer verified; it is
 * never taken from request headers.
 */
public record HttpRequest(
        String routeKey,
        String method,
        String path,
        Map<String, String> pathParameters,
        Map<String, String> query,
        Map<String, String> headers,
        String body,
        String requestId,
        String sourceIp,
        String userAgent,
        Map<String, Object> authorizerContext) {

    public HttpRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        authorizerContext = authorizerContext == null ? Map.of() : Map.copyOf(authorizerContext);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))).filter(v -> !v.isBlank());
    }

    public Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isBlank());
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }
}
