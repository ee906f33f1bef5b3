package dev.pipedesk.local.gateway;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import dev.pipedesk.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what functions answer, as API Gateway (payload 2.0) does: the integration response
 * ({@code APIGatewayV2HTTPResponse}) and the authorizer's simple response.
 */
public final class LambdaResponses {
    /** Hop-by-hop or computed headers the gateway sets itself. */
    private static final Set<String> IGNORED_HEADERS = Set.of("content-length", "transfer-encoding", "connection");

    private LambdaResponses() {
    }

    /** The function answered something API Gateway could not turn into an HTTP response. */
    public static final class MalformedResponse extends Exception {
        public MalformedResponse(String message) {
            super(message);
        }
    }

    /**
     * A structured response ({@code statusCode}, {@code headers}, {@code multiValueHeaders},
     * {@code cookies}, {@code body}, {@code isBase64Encoded}); any other JSON value is taken as
     * the body of a 200 {@code application/json} response, as API Gateway infers for format 2.0.
     */
    public static HttpResult toHttp(String output) throws MalformedResponse {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(output == null || output.isBlank() ? "null" : output);
        } catch (JacksonException e) {
            throw new MalformedResponse("the function's output is not JSON");
        }
        if (root == null || !root.isObject() || !root.has("statusCode")) {
            return new HttpResult(200, List.of(Map.entry("content-type", "application/json")),
                    (output == null ? "" : output).getBytes(StandardCharsets.UTF_8));
        }
        JsonNode statusNode = root.get("statusCode");
        int status = statusNode.isIntegralNumber() ? statusNode.asInt()
                : statusNode.isString() && statusNode.asString().matches("\\d{3}") ? Integer.parseInt(statusNode.asString()) : -1;
        if (status < 100 || status > 599) {
            throw new MalformedResponse("the function's statusCode is not an HTTP status: " + statusNode);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        JsonNode single = root.get("headers");
        if (single != null && single.isObject()) {
            for (Map.Entry<String, JsonNode> header : single.properties()) {
                addHeader(headers, header.getKey(), text(header.getValue()));
            }
        }
        JsonNode multi = root.get("multiValueHeaders");
        if (multi != null && multi.isObject()) {
            for (Map.Entry<String, JsonNode> header : multi.properties()) {
                if (header.getValue().isArray()) {
                    for (JsonNode value : header.getValue()) {
                        addHeader(headers, header.getKey(), text(value));
                    }
                }
            }
        }
        JsonNode cookies = root.get("cookies");
        if (cookies != null && cookies.isArray()) {
            for (JsonNode cookie : cookies) {
                addHeader(headers, "set-cookie", text(cookie));
            }
        }
        byte[] body = new byte[0];
        JsonNode bodyNode = root.get("body");
        if (bodyNode != null && !bodyNode.isNull()) {
            String text = bodyNode.isString() ? bodyNode.asString() : bodyNode.toString();
            JsonNode base64 = root.get("isBase64Encoded");
            if (base64 != null && base64.asBoolean(false)) {
                try {
                    body = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw new MalformedResponse("the function's body is marked base64 but is not");
                }
            } else {
                body = text.getBytes(StandardCharsets.UTF_8);
            }
        }
        return new HttpResult(status, headers, body);
    }

    private static void addHeader(List<Map.Entry<String, String>> headers, String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (value == null || IGNORED_HEADERS.contains(lower)) {
            return;
        }
        boolean duplicate = headers.stream().anyMatch(h -> h.getKey().equals(lower) && h.getValue().equals(value));
        if (!duplicate) {
            headers.add(Map.entry(lower, value));
        }
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isString() ? value.asString() : value.toString();
    }

    /** The authorizer's verdict (simple response format). */
    public sealed interface Verdict {
    }

    public record Allowed(Map<String, Object> context) implements Verdict {
    }

    /** Denied; status, code and message come from the context when it carries them. */
    public record Denied(int status, String code, String message) implements Verdict {
    }

    /** {@code {"isAuthorized":bool,"context":{...}}}. */
    @SuppressWarnings("unchecked")
    public static Verdict toVerdict(String output) throws MalformedResponse {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(output == null ? "" : output);
        } catch (JacksonException e) {
            throw new MalformedResponse("the authorizer's output is not JSON");
        }
        if (root == null || !root.isObject() || !root.has("isAuthorized") || !root.get("isAuthorized").isBoolean()) {
            throw new MalformedResponse("the authorizer's output has no boolean isAuthorized");
        }
        JsonNode context = root.get("context");
        Map<String, Object> contextMap = context != null && context.isObject()
                ? Json.MAPPER.convertValue(context, Map.class) : Map.of();
        if (root.get("isAuthorized").asBoolean()) {
            return new Allowed(contextMap);
        }
        int status = Optional.ofNullable(context).map(c -> c.get("status"))
                .filter(s -> s.isIntegralNumber() || (s.isString() && s.asString().matches("\\d{3}")))
                .map(s -> s.isIntegralNumber() ? s.asInt() : Integer.parseInt(s.asString()))
                .filter(s -> s >= 400 && s <= 599)
                .orElse(403);
        String code = Optional.ofNullable(context).map(c -> c.get("code")).filter(JsonNode::isString)
                .map(JsonNode::asString).orElse(status == 401 ? "unauthorized" : "forbidden");
        String message = Optional.ofNullable(context).map(c -> c.get("message")).filter(JsonNode::isString)
                .map(JsonNode::asString).orElse(status == 401 ? "Unauthorized" : "Forbidden");
        return new Denied(status, code, message);
    }
}
