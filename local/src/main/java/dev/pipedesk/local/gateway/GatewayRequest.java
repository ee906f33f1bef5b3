package dev.pipedesk.local.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as the gateway received it, before any mapping.
 *
 * @param method     e.g. {@code GET}
 * @param rawPath    the path as sent (percent-encoding kept)
 * @param rawQuery   the query string as sent, without {@code ?}; empty when none
 * @param headers    every header line in order, names as sent
 * @param body       the body bytes (empty when none)
 * @param sourceIp   the client's address
 * @param protocol   e.g. {@code HTTP/1.1}
 * @param requestId  API Gateway's request id for this request
 * @param receivedAt when it arrived
 */
public record GatewayRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                             byte[] body, String sourceIp, String protocol, String requestId, Instant receivedAt) {

    public GatewayRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** Every value of a header (case-insensitive name), in order. */
    public List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** The first value of a header, if any. */
    public Optional<String> header(String name) {
        return headerValues(name).stream().findFirst();
    }

    public String methodUpper() {
        return method.toUpperCase(Locale.ROOT);
    }
}
