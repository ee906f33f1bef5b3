package dev.pipedesk.emulator.calendar;

import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What a handler answers; the HTTP layer writes it. */
sealed interface ApiResponse {

    String JSON = "application/json; charset=UTF-8";

    /** A JSON body. */
    record Json(int status, JsonNode body, Map<String, String> headers) implements ApiResponse {
    }

    /** No body: 204 after delete/stop, 304 after a matching If-None-Match. */
    record Empty(int status) implements ApiResponse {
    }

    /** Any other body, e.g. the HTML page a Google front end answers a 502 with. */
    record Raw(int status, String contentType, byte[] body) implements ApiResponse {
    }

    /** This response with one more header; only a JSON response carries extra headers. */
    default ApiResponse withHeader(String name, String value) {
        if (!(this instanceof Json json)) {
            return this;
        }
        Map<String, String> headers = new HashMap<>(json.headers());
        headers.put(name, value);
        return new Json(json.status(), json.body(), headers);
    }

    static ApiResponse ok(JsonNode body) {
        return new Json(200, body, Map.of());
    }

    static ApiResponse noContent() {
        return new Empty(204);
    }

    static ApiResponse error(GoogleApiError error) {
        Map<String, String> headers = error.status() == 401
                ? Map.of("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")
                : Map.of();
        if (error.reason().equals("badGateway") || error.reason().equals("gatewayTimeout")) {
            return gatewayPage(error.status());
        }
        return new Json(error.status(), error.toJson(), headers);
    }

    /** A Google front end's plain gateway error: HTML, no JSON details. */
    static ApiResponse gatewayPage(int status) {
        String title = status == 502 ? "502 Bad Gateway" : status + " Gateway Timeout";
        String html = "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error " + status
                + "</title><p><b>" + status + ".</b> <ins>That’s an error.</ins><p>" + title + "</html>";
        return new Raw(status, "text/html; charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
    }
}
