package dev.pipedesk.authorizer;

import dev.pipedesk.auth.Access;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.auth.TokenRejection;
import dev.pipedesk.auth.TokenVerifier;
import dev.pipedesk.auth.VerificationResult;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.lambda.AuthorizationRequest;
import dev.pipedesk.lambda.AuthorizerResponse;
import dev.pipedesk.lambda.AuthorizerShell;
import dev.pipedesk.lambda.RequestAuthorizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The JWT authorizer of the HTTP API (behind {@link AuthorizerShell}): verifies the bearer
 * token, then asks the route policy whether the caller's role may call the route. Allowed: the
 * response's context is the principal ({@code userId}, {@code email}, {@code role}). Denied: it
 * holds {@code status}, {@code code} and {@code message}, which the local gateway renders as the
 * JSON error (AWS answers the denial itself).
 *
 * <p>Decisions depend on the route, so the HTTP API must not cache authorizer results by
 * token alone: no result cache, or {@code $context.routeKey} in the identity source.
 */
public final class Authorizer implements RequestAuthorizer {
    private static final Logger LOG = Logger.getLogger(Authorizer.class.getName());

    private final TokenVerifier verifier;
    private final RoutePolicy policy;

    public Authorizer(TokenVerifier verifier, RoutePolicy policy) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public AuthorizerResponse authorize(AuthorizationRequest request) {
        return switch (verifier.check(request.authorizationHeader())) {
            case VerificationResult.Rejected rejected -> {
                TokenRejection reason = rejected.reason();
                logDenial(request, reason.errorCode(), reason.wire());
                yield deny(reason.errorCode(), reason.clientMessage());
            }
            case VerificationResult.Verified verified -> decide(request, verified.principal());
        };
    }

    @Override
    public AuthorizerResponse refuseUnreadable() {
        return deny(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID.clientMessage());
    }

    private AuthorizerResponse decide(AuthorizationRequest request, Principal principal) {
        return switch (policy.decide(request.routeKey(), principal)) {
            case Access.Allowed ignored -> AuthorizerResponse.allow(principal.toAuthorizerContext());
            case Access.Denied denied -> {
                logDenial(request, ErrorCode.FORBIDDEN, "route_denied role=" + principal.role().wire());
                yield deny(ErrorCode.FORBIDDEN, denied.reason());
            }
        };
    }

    private static AuthorizerResponse deny(ErrorCode error, String message) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("status", error.status());
        context.put("code", error.code());
        context.put("message", message);
        return AuthorizerResponse.deny(context);
    }

    /** A security event: what was refused and why, never token contents or personal data. */
    private static void logDenial(AuthorizationRequest request, ErrorCode error, String reason) {
        LOG.info(() -> "security: authorizer denied status=" + error.status() + " reason=" + reason
                + " route=\"" + request.routeKey() + "\" requestId=" + request.requestId());
    }
}
