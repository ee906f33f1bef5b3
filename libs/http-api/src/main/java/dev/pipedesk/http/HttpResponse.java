package dev.pipedesk.http;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorBody;
import dev.pipedesk.core.ErrorCode;
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

    public static HttpResponse error(ApiException e) {
        return new HttpResponse(e.errorCode().status(), Map.of(), ErrorBody.of(e));
    }

    /** 429 {@code rate_limited} with {@code Retry-After}: the caller's limit is used up for this window. */
    public static HttpResponse rateLimited(long retryAfterSeconds) {
        return error(new ApiException(ErrorCode.RATE_LIMITED, "Too many requests: try again in " + retryAfterSeconds
                + " s.")).withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, copy, body);
    }
}
