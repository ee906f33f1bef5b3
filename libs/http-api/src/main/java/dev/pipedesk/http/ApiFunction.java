package dev.pipedesk.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.pipedesk.auth.Access;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import java.io.InputStream;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Lambda-facing shell shared by every API function: event in, response out. It re-checks
 * the route policy with the principal from the authorizer's context (defence in depth; request
 * headers such as {@code x-user-*} are never trusted), runs the handler, and turns every failure
 * into the JSON error shape. Exception texts never reach the client.
 *
 * <p>It takes the raw event stream and parses it with the Lambda runtime's own serializer,
 * rather than letting the Spring Cloud Function adapter bind the event: the adapter treats a
 * JSON-array request body as a batch of events and would run each element, authorizer context
 * and all, as a request of its own. Reading the stream also keeps the adapter from logging the
 * event (and its Authorization header).
 */
public final class ApiFunction implements Function<InputStream, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = Logger.getLogger(ApiFunction.class.getName());

    private final RoutePolicy policy;
    private final ApiHandler handler;
    private final PojoSerializer<APIGatewayV2HTTPEvent> events;

    public ApiFunction(RoutePolicy policy, ApiHandler handler) {
        this.policy = policy;
        this.handler = handler;
        this.events = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, ApiFunction.class.getClassLoader());
    }

    @Override
    public APIGatewayV2HTTPResponse apply(InputStream rawEvent) {
        APIGatewayV2HTTPEvent event;
        try {
            event = events.fromJson(rawEvent);
        } catch (RuntimeException e) {
            // The parser's message may quote the event, headers included: log the type only.
            LOG.warning(() -> "Unreadable API Gateway event (" + e.getClass().getSimpleName() + ")");
            return ApiGatewayEvents.toResponse(HttpResponse.error(ApiException.badRequest("The request could not be read.")));
        }
        return apply(event);
    }

    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        HttpResponse response;
        try {
            response = handle(ApiGatewayEvents.toRequest(event));
        } catch (ApiException unreadableBody) {
            response = HttpResponse.error(unreadableBody);
        }
        return ApiGatewayEvents.toResponse(response);
    }

    public HttpResponse handle(HttpRequest request) {
        try {
            Principal principal = Principal.fromAuthorizerContext(request.authorizerContext())
                    .orElseThrow(() -> ApiException.unauthorized("Authentication is required."));
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
