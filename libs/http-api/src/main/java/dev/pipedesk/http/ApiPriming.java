package dev.pipedesk.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaShell;
import dev.pipedesk.lambda.Priming;
import dev.pipedesk.lambda.SnapStartResource;
import java.util.function.Supplier;

/**
 * The SnapStart priming every HTTP API function shares (docs/architecture.md, "SnapStart"). Its
 * two priming events live in the function's {@code src/main/resources/priming/}:
 * <ol>
 *   <li>{@value #UNAUTHENTICATED}: a request without the authorizer's principal, through the
 *       function itself: event read, request decoded, refused with 401 before the rate limit;</li>
 *   <li>{@value #REFUSED}: a request with a principal that the routes refuse before reading
 *       anything (a validation failure), through the same shell and routes but without the rate
 *       limit (counting a request writes to the rate-limit table);</li>
 * </ol>
 * then an OK response with a representative body, rendered and serialised as a request's would
 * be. A priming event answered with another status than expected fails its step (logged; the
 * snapshot is still taken): it might have done more than priming should.
 */
public final class ApiPriming {
    /** The unauthenticated request, answered 401. */
    public static final String UNAUTHENTICATED = "priming/unauthenticated.json";
    /** The request the routes refuse before any read, answered 4xx. */
    public static final String REFUSED = "priming/event.json";

    private ApiPriming() {
    }

    /**
     * Adds the API priming steps to {@code resource}.
     *
     * @param owner    the function's application class (its class loader holds the priming events)
     * @param function the function as deployed (its rate limiter is never reached: 401 comes first)
     * @param policy   the route policy the function runs with
     * @param routes   the function's routes
     * @param okBody   a representative body of a successful answer (built without the database)
     */
    public static SnapStartResource.Builder prime(SnapStartResource.Builder resource, Class<?> owner,
                                                  HttpEventFunction function, RoutePolicy policy, ApiHandler routes,
                                                  Supplier<Object> okBody) {
        ApiFunction withoutRateLimit = new ApiFunction(policy, routes);
        return resource
                .prime("unauthenticated request (401)", () -> answer(function, owner, UNAUTHENTICATED, 401, 401))
                .prime("request refused before any read (4xx)", () -> answer(withoutRateLimit, owner, REFUSED, 400, 499))
                .prime("OK response rendered", () -> renderOk(okBody.get()));
    }

    /**
     * Runs the priming event {@code event} of {@code owner} through {@code function}, serialises the
     * answer as a request's would be, and checks its status.
     *
     * @throws IllegalStateException when the status is not within {@code lowest..highest}
     */
    public static void answer(LambdaShell<APIGatewayV2HTTPResponse> function, Class<?> owner, String event,
                              int lowest, int highest) {
        APIGatewayV2HTTPResponse response = function.apply(Priming.event(owner, event));
        Json.write(response);
        if (response.getStatusCode() < lowest || response.getStatusCode() > highest) {
            throw new IllegalStateException("The priming event " + event + " was answered " + response.getStatusCode());
        }
    }

    /** An OK answer with {@code body}, rendered and serialised as a request's would be. */
    public static void renderOk(Object body) {
        Json.write(ApiGatewayEvents.toResponse(HttpResponse.ok(body)));
    }
}
