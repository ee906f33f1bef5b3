package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.ErrorBody;
import dev.pipedesk.state.RateLimitDecision;
import dev.pipedesk.state.RateLimitSubject;
import dev.pipedesk.state.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shell counts each authenticated request against its user and answers 429 over the limit. */
class ApiFunctionRateLimitTest {
    private final List<RateLimitSubject> counted = new ArrayList<>();
    private final AtomicInteger handled = new AtomicInteger();
    private final ApiHandler handler = (request, caller) -> {
        handled.incrementAndGet();
        return HttpResponse.ok(Map.of("ok", true));
    };

    /** A fake limiter: allows {@code allowed} requests in total, then refuses with 15.2 s left. */
    private RateLimiter allowing(int allowed) {
        return subject -> {
            counted.add(subject);
            return counted.size() <= allowed ? RateLimitDecision.ALLOWED
                    : new RateLimitDecision.Refused(Duration.ofMillis(15_200));
        };
    }

    private static HttpRequest request(Map<String, Object> authorizerContext) {
        return new HttpRequest(ApiRoute.LIST_EVENTS.routeKey(), "GET", "/api/calendar/events", Map.of(), Map.of(),
                Map.of(), null, "request-1", "192.0.2.1", "test", authorizerContext);
    }

    private static HttpRequest requestBy(String userId) {
        return request(new Principal(userId, userId + "@example.com", Role.SALES).toAuthorizerContext());
    }

    @Test
    void each429CountsAsARateLimitedRequest() {
        dev.pipedesk.core.metrics.EmfMetrics metrics = new dev.pipedesk.core.metrics.EmfMetrics("test", line -> { },
                java.time.Clock.systemUTC());
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), handler, allowing(1), metrics);

        function.apply(dev.pipedesk.http.testing.ApiGatewayRequest.to(ApiRoute.LIST_EVENTS)
                .by(new Principal("user-1", "user-1@example.com", Role.SALES)).toEvent());
        assertThat(metrics.recorded()).isEmpty();
        function.apply(dev.pipedesk.http.testing.ApiGatewayRequest.to(ApiRoute.LIST_EVENTS)
                .by(new Principal("user-1", "user-1@example.com", Role.SALES)).toEvent());
        function.apply(dev.pipedesk.http.testing.ApiGatewayRequest.to(ApiRoute.LIST_EVENTS)
                .by(new Principal("user-1", "user-1@example.com", Role.SALES)).toEvent());

        assertThat(metrics.recorded()).containsExactly(
                java.util.Map.entry(dev.pipedesk.core.metrics.OperatorMetric.REQUESTS_RATE_LIMITED, 2L));
    }

    @Test
    void overTheLimitAnswers429WithRetryAfterAndTheErrorShapeWithoutRunningTheHandler() {
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), handler, allowing(1));

        HttpResponse first = function.handle(requestBy("user-1"));
        HttpResponse second = function.handle(requestBy("user-1"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers()).containsEntry("Retry-After", "16");
        assertThat(second.body()).isInstanceOfSatisfying(ErrorBody.class, body -> {
            assertThat(body.error().code()).isEqualTo("rate_limited");
            assertThat(body.error().message()).contains("16 s");
        });
        assertThat(handled).hasValue(1);
    }

    @Test
    void countsAgainstThePrincipalsUserIdFromTheAuthorizer() {
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), handler, allowing(10));

        function.handle(requestBy("user-1"));
        function.handle(requestBy("user-2"));

        assertThat(counted).containsExactly(new RateLimitSubject.User("user-1"), new RateLimitSubject.User("user-2"));
    }

    @Test
    void aRequestWithoutAPrincipalIsRefusedWith401WithoutBeingCounted() {
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), handler, allowing(10));

        HttpResponse response = function.handle(request(Map.of()));

        assertThat(response.status()).isEqualTo(401);
        assertThat(counted).isEmpty();
    }

    @Test
    void withoutALimiterNothingIsLimited() {
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), handler);

        for (int i = 0; i < 100; i++) {
            assertThat(function.handle(requestBy("user-1")).status()).isEqualTo(200);
        }
    }
}
