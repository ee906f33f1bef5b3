package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.state.RateLimitDecision;
import dev.pipedesk.state.RateLimitSubject;
import dev.pipedesk.state.RateLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An API function's SnapStart priming (its events: this module's test resources {@code priming/}). */
class ApiPrimingTest {
    private final List<RateLimitSubject> counted = new ArrayList<>();
    private final List<String> handled = new ArrayList<>();
    private final RateLimiter countingLimiter = subject -> {
        counted.add(subject);
        return RateLimitDecision.ALLOWED;
    };
    private final ApiHandler refusingRoutes = (request, caller) -> {
        handled.add(request.routeKey());
        throw ApiException.validation(List.of(new FieldError("entity_type", "must be one of lead, deal, contact")));
    };

    @Test
    void primesTheFunctionAndItsRoutesWithoutEverCountingARequest() throws Exception {
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), refusingRoutes, countingLimiter);
        SnapStartResource resource = ApiPriming.prime(SnapStartResource.forFunction("test"), ApiPrimingTest.class,
                function, RoutePolicy.standard(), refusingRoutes, () -> Map.of("items", List.of())).build();

        resource.beforeCheckpoint(null);

        assertThat(handled).containsExactly("GET /api/timeline/{entity_type}/{entity_id}");
        assertThat(counted).isEmpty();
        assertThat(resource.primingSteps()).containsExactly("unauthenticated request (401)",
                "request refused before any read (4xx)", "OK response rendered");
    }

    @Test
    void refusesAPrimingRequestAnsweredWithAnotherStatusThanExpected() {
        ApiFunction answeringOk = new ApiFunction(RoutePolicy.standard(), (request, caller) -> HttpResponse.ok(Map.of()));

        assertThatThrownBy(() -> ApiPriming.answer(answeringOk, ApiPrimingTest.class, ApiPriming.REFUSED, 400, 499))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was answered 200");
    }
}
