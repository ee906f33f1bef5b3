package dev.pipedesk.lambda;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP API Lambda authorizer "simple response" (payload format 2.0,
 * {@code enableSimpleResponses}). When allowed, API Gateway hands {@code context} to the
 * function as {@code requestContext.authorizer.lambda}; when denied, AWS ignores the context and
 * answers the denial itself (the local gateway renders it).
 */
public record AuthorizerResponse(@JsonProperty("isAuthorized") boolean isAuthorized, Map<String, Object> context) {

    public AuthorizerResponse {
        context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    public static AuthorizerResponse allow(Map<String, Object> context) {
        return new AuthorizerResponse(true, context);
    }

    public static AuthorizerResponse deny(Map<String, Object> context) {
        return new AuthorizerResponse(false, context);
    }
}
