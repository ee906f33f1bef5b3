package dev.pipedesk.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell of an HTTP API Lambda authorizer (payload 2.0 {@code REQUEST} event, simple
 * responses): the raw event in, an {@link AuthorizationRequest} to the {@link RequestAuthorizer},
 * its {@link AuthorizerResponse} out.
 *
 * <p>Besides the reasons every shell reads the raw stream, an authorizer must: with a typed
 * input, the adapter sees the event's {@code version} and {@code routeKey} and wraps any output
 * that is not an AWS event class into a proxy response ({@code statusCode}/{@code body}), which
 * API Gateway would not read as an authorizer answer (the AWS class for it,
 * {@code SimpleIAMPolicyResponse}, only allows string context values).
 */
public final class AuthorizerShell extends LambdaShell<AuthorizerResponse> {
    private static final Logger LOG = Logger.getLogger(AuthorizerShell.class.getName());

    private final RequestAuthorizer authorizer;
    private final EventReader<APIGatewayV2CustomAuthorizerEvent> events = new EventReader<>(
            APIGatewayV2CustomAuthorizerEvent.class, LOG, Level.WARNING, "security: authorizer received an unreadable event");

    public AuthorizerShell(RequestAuthorizer authorizer) {
        super(null);
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    }

    @Override
    public AuthorizerResponse apply(InputStream rawEvent) {
        return events.read(rawEvent).map(AuthorizerShell::request).map(authorizer::authorize)
                .orElseGet(authorizer::refuseUnreadable);
    }

    static AuthorizationRequest request(APIGatewayV2CustomAuthorizerEvent event) {
        var context = event.getRequestContext();
        String routeKey = event.getRouteKey() != null || context == null ? event.getRouteKey() : context.getRouteKey();
        return new AuthorizationRequest(routeKey, header(event.getHeaders(), "authorization"),
                context == null ? null : context.getRequestId());
    }

    /** Payload 2.0 lower-cases header names; local callers might not, so match any case. */
    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }
}
