package dev.pipedesk.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.pipedesk.auth.Access;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.auth.TokenRejection;
import dev.pipedesk.auth.TokenVerifier;
import dev.pipedesk.auth.VerificationResult;
import dev.pipedesk.core.ErrorCode;

import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The JWT authorizer of the HTTP API: verifies the bearer token, then asks the route policy
 * whether the caller's role may call the event's route.
 *
 * <p>It takes the raw event stream rather than a bound event type on purpose: with a typed
 * input, {@code FunctionInvoker} logs the whole event (Authorization header included) and,
 * because an authorizer event carries {@code version} and {@code routeKey}, wraps any output
 * that is not an AWS event class into a proxy response ({@code statusCode}/{@code body}),
 * which API Gateway would not read as an authorizer answer (the AWS class for it,
 * {@code SimpleIAMPolicyResponse}, only allows string context values). Parsing is done with
 * the Lambda runtime's own serializer for {@link APIGatewayV2CustomAuthorizerEvent}.
 *
 * <p>Decisions depend on the route, so the HTTP API must not cache authorizer results by
 * token alone: no result cache, or {@code $context.routeKey} in the identity source.
 */
public final class Authorizer implements Function<InputStream, AuthorizerResponse> {
    private static final Logger LOG = Logger.getLogger(Authorizer.class.getName());

    private final TokenVerifier verifier;
    private final RoutePolicy policy;
    private final PojoSerializer<APIGatewayV2CustomAuthorizerEvent> events;

    public Authorizer(TokenVerifier verifier, RoutePolicy policy) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.events = LambdaEventSerializers.serializerFor(APIGatewayV2CustomAuthorizerEvent.class,
                Authorizer.class.getClassLoader());
    }

    @Override
    public AuthorizerResponse apply(InputStream rawEvent) {
        APIGatewayV2CustomAuthorizerEvent event;
        try {
            event = events.fromJson(rawEvent);
        } catch (RuntimeException e) {
            // The parser's message may quote the event, token included: log the type only.
            LOG.warning(() -> "security: authorizer received an unreadable event (" + e.getClass().getSimpleName() + ")");
            return AuthorizerResponse.deny(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID.clientMessage());
        }
        return authorize(event);
    }

    public AuthorizerResponse authorize(APIGatewayV2CustomAuthorizerEvent event) {
        String routeKey = routeKey(event);
        return switch (verifier.check(header(event.getHeaders(), "authorization"))) {
            case VerificationResult.Rejected rejected -> {
                TokenRejection reason = rejected.reason();
                logDenial(event, routeKey, reason.errorCode(), reason.wire());
                yield AuthorizerResponse.deny(reason.errorCode(), reason.clientMessage());
            }
            case VerificationResult.Verified verified -> decide(event, routeKey, verified.principal());
        };
    }

    private AuthorizerResponse decide(APIGatewayV2CustomAuthorizerEvent event, String routeKey, Principal principal) {
        return switch (policy.decide(routeKey, principal)) {
            case Access.Allowed ignored -> AuthorizerResponse.allow(principal);
            case Access.Denied denied -> {
                logDenial(event, routeKey, ErrorCode.FORBIDDEN, "route_denied role=" + principal.role().wire());
                yield AuthorizerResponse.deny(ErrorCode.FORBIDDEN, denied.reason());
            }
        };
    }

    /** A security event: what was refused and why, never token contents or personal data. */
    private static void logDenial(APIGatewayV2CustomAuthorizerEvent event, String routeKey, ErrorCode error, String reason) {
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        LOG.info(() -> "security: authorizer denied status=" + error.status() + " reason=" + reason
                + " route=\"" + routeKey + "\" requestId=" + requestId);
    }

    private static String routeKey(APIGatewayV2CustomAuthorizerEvent event) {
        if (event.getRouteKey() != null) {
            return event.getRouteKey();
        }
        return event.getRequestContext() == null ? null : event.getRequestContext().getRouteKey();
    }

    /** Payload 2.0 lower-cases header names; local callers might not, so match any case. */
    static String header(Map<String, String> headers, String name) {
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
