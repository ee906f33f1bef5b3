package dev.pipedesk.http;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorBody;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response to render: status, extra headers, and a body serialised as JSON (null = empty). */
public record HttpResponse(int status, Map<String, String> headers, Object body) {

    public HttpResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static HttpResponse ok(Object body) {
        return new HttpResponse(200, Map.of(), body);
    }

    public static HttpResponse created(Object body) {
        return new HttpResponse(201, Map.of(), body);
    }

    /** The error's JSON body; {@code Retry-After} (whole seconds, rounded up) when the error carries one. */
    public static HttpResponse error(ApiException e) {
        HttpResponse response = new HttpResponse(e.errorCode().status(), Map.of(), ErrorBody.of(e));
        return e.retryAfter()
                .map(wait -> response.withHeader("Retry-After", Long.toString(Math.max(1, wait.plusMillis(999).toSeconds()))))
                .orElse(response);
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, copy, body);
    }
}
