package dev.pipedesk.local.gateway;

import dev.pipedesk.core.ErrorBody;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** An HTTP response the gateway sends: status, header lines (repeatable) and body bytes. */
public record HttpResult(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    public HttpResult {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpResult json(int status, Object value) {
        return new HttpResult(status, List.of(Map.entry("content-type", "application/json")),
                Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error":{"code","message","details":null}}} with a code of the shared set. */
    public static HttpResult error(int status, ErrorCode code, String message) {
        return error(status, code.code(), message);
    }

    /** For statuses the shared {@link ErrorCode} set has no code for (405, 504). */
    public static HttpResult error(int status, String code, String message) {
        return json(status, new ErrorBody(new ErrorBody.Error(code, message, null)));
    }

    public HttpResult withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new java.util.ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new HttpResult(status, more, body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
