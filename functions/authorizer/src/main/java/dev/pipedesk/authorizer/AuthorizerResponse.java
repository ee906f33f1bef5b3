package dev.pipedesk.authorizer;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.core.ErrorCode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP API Lambda authorizer "simple response" (payload format 2.0,
 * {@code enableSimpleResponses}). When allowed, {@code context} is the principal
 * ({@code userId}, {@code email}, {@code role}) which API Gateway hands to the function as
 * {@code requestContext.authorizer.lambda}. When denied, {@code context} holds
 * {@code status}, {@code code} and {@code message}: AWS ignores it and answers the denial
 * itself, the local gateway renders it as the JSON error.
 */
public record AuthorizerResponse(@JsonProperty("isAuthorized") boolean isAuthorized, Map<String, Object> context) {

    public AuthorizerResponse {
        context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    static AuthorizerResponse allow(Principal principal) {
        return new AuthorizerResponse(true, principal.toAuthorizerContext());
    }

    static AuthorizerResponse deny(ErrorCode error, String message) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("status", error.status());
        context.put("code", error.code());
        context.put("message", message);
        return new AuthorizerResponse(false, context);
    }
}
