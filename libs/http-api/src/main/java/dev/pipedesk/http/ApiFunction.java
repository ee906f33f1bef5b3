package dev.pipedesk.http;

import dev.pipedesk.auth.Access;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.lambda.EventReader;
import dev.pipedesk.lambda.LambdaInvocation;
import dev.pipedesk.state.RateLimitDecision;
import dev.pipedesk.state.RateLimitSubject;
import dev.pipedesk.state.RateLimiter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell of every HTTP API function (payload 2.0): the raw event in (read by
 * {@link EventReader}; why: {@code docs/architecture.md}, "Lambda shells"), response out. It
 * re-checks the route policy with the principal from the authorizer's context (defence in depth;
 * request headers such as {@code x-user-*} are never trusted), counts the request against the
 * caller's rate limit (429 with {@code Retry-After} when over it; here and not in the authorizer,
 * because an HTTP API Lambda authorizer cannot answer 429), runs the handler, and turns every
 * failure into the JSON error shape. Exception texts never reach the client.
 */
public final class ApiFunction extends HttpEventFunction {
    private static final Logger LOG = Logger.getLogger(ApiFunction.class.getName());

    private final RoutePolicy policy;
    private final ApiHandler handler;
    private final RateLimiter rateLimiter;

    /** Without rate limiting. */
    public ApiFunction(RoutePolicy policy, ApiHandler handler) {
        this(policy, handler, RateLimiter.OFF);
    }

    /** @param rateLimiter counts each authenticated request against its user's limit */
    public ApiFunction(RoutePolicy policy, ApiHandler handler, RateLimiter rateLimiter) {
        this(policy, handler, rateLimiter, null);
    }

    /**
     * @param rateLimiter counts each authenticated request against its user's limit
     * @param metrics     where the requests answered 429 are counted (or null)
     */
    public ApiFunction(RoutePolicy policy, ApiHandler handler, RateLimiter rateLimiter, EmfMetrics metrics) {
        super(LOG, metrics);
        this.policy = policy;
        this.handler = handler;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        try {
            Principal principal = Principal.fromAuthorizerContext(request.authorizerContext())
                    .orElseThrow(() -> ApiException.unauthorized("Authentication is required."));
            LambdaInvocation.userId(principal.userId());
            if (rateLimiter.acquire(new RateLimitSubject.User(principal.userId())) instanceof RateLimitDecision.Refused refused) {
                LOG.info(() -> "security: rate limited route=" + request.routeKey() + " user=" + principal.userId()
                        + " retryAfter=" + refused.retryAfterSeconds() + "s requestId=" + request.requestId());
                return HttpResponse.rateLimited(refused.retryAfterSeconds());
            }
            return switch (policy.decide(request.routeKey(), principal)) {
                case Access.Allowed allowed -> handler.handle(request, new ApiHandler.Caller(principal, allowed.redacted()));
                case Access.Denied denied -> {
                    LOG.info(() -> "security: denied route=" + request.routeKey() + " role=" + principal.role().wire()
                            + " requestId=" + request.requestId());
                    throw ApiException.forbidden("Your role may not do this.");
                }
            };
        } catch (ApiException e) {
            return HttpResponse.error(e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Unhandled failure on " + request.routeKey() + " requestId=" + request.requestId(), e);
            return HttpResponse.error(new ApiException(ErrorCode.INTERNAL, "Something went wrong on our side."));
        }
    }
}
