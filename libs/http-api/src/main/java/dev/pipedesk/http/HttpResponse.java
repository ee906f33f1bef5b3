package dev.pipedesk.http;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorBody;
import dev.pipedesk.core.ErrorCode;
import java.time.Duration;
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

    /** 304: the client's copy (its {@code If-None-Match}) is current; no body, the version in {@code ETag}. */
    public static HttpResponse notModified(EntityTag current) {
        return new HttpResponse(304, Map.of(), null).withETag(current);
    }

    /** The error's JSON body; {@code Retry-After} (whole seconds, rounded up) when the error carries one. */
    public static HttpResponse error(ApiException e) {
        HttpResponse response = new HttpResponse(e.errorCode().status(), Map.of(), ErrorBody.of(e));
        return e.retryAfter()
                .map(wait -> response.withHeader("Retry-After", Long.toString(Math.max(1, wait.plusMillis(999).toSeconds()))))
                .orElse(response);
    }

    /** This response with {@code ETag}: the version of the resource it shows. */
    public HttpResponse withETag(EntityTag version) {
        return withHeader("ETag", version.headerValue());
    }

    /** 429 {@code rate_limited} with {@code Retry-After}: the caller's limit is used up for this window. */
    public static HttpResponse rateLimited(long retryAfterSeconds) {
        return error(new ApiException(ErrorCode.RATE_LIMITED, "Too many requests: try again in " + retryAfterSeconds + " s.", null,
                Duration.ofSeconds(retryAfterSeconds)));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, copy, body);
    }
}
