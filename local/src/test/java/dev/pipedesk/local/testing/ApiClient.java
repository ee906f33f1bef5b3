package dev.pipedesk.local.testing;

import dev.pipedesk.core.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Sends requests to the local API as one caller (a bearer token, or none). Bodies are objects
 * serialised as JSON ({@code Map.of(...)}, records) or a {@link String} sent as it is. Immutable:
 * {@link #header} returns a new client.
 *
 * <p>Every response is checked against {@code docs/api/openapi.yaml} ({@link OpenApiContract})
 * before the test sees it: an answer the spec does not declare fails the test.
 *
 * <pre>{@code
 * ApiResponse created = api.as(Role.SALES, "user-1")
 *         .header("Idempotency-Key", "k-1")
 *         .post("/api/calendar/events", Map.of("summary", "Intro", "start_time", "...", "end_time", "..."));
 * }</pre>
 */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI baseUrl;
    private final OpenApiContract contract;
    private final Map<String, String> headers;

    ApiClient(HttpClient http, URI baseUrl, OpenApiContract contract, Map<String, String> headers) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.contract = contract;
        this.headers = Map.copyOf(headers);
    }

    /** The same caller with one more request header (e.g. {@code Idempotency-Key}, {@code If-Match}). */
    public ApiClient header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiClient(http, baseUrl, contract, more);
    }

    public ApiResponse get(String path) {
        return send("GET", path, null);
    }

    /** GET with query parameters, e.g. {@code get("/api/calendar/events", Map.of("limit", 5))}. */
    public ApiResponse get(String path, Map<String, ?> query) {
        return send("GET", path + queryString(query), null);
    }

    public ApiResponse post(String path, Object body) {
        return send("POST", path, body);
    }

    public ApiResponse patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public ApiResponse put(String path, Object body) {
        return send("PUT", path, body);
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, null);
    }

    /**
     * Any method; {@code body} null sends none. {@code path} may carry a query string.
     *
     * @throws AssertionError when the response breaks the OpenAPI contract
     */
    public ApiResponse send(String method, String path, Object body) {
        return exchange(method, path, body == null ? null
                : (body instanceof String s ? s : Json.write(body)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Any method with these body bytes exactly (null sends none), as {@code application/json}
     * unless a content type was set: for bodies that are not UTF-8.
     */
    public ApiResponse sendBytes(String method, String path, byte[] body) {
        return exchange(method, path, body);
    }

    private ApiResponse exchange(String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(TIMEOUT);
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            if (!headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("content-type"))) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            ApiResponse answer = new ApiResponse(response.statusCode(), response.headers(), response.body());
            contract.check(method, response.request().uri().getRawPath(), answer);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    private static String queryString(Map<String, ?> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((name, value) -> joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
        return joined.toString();
    }
}
