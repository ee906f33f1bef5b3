package dev.pipedesk.local;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.local.gateway.Route;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LocalFunctionsTest {

    @Test
    void routesEveryDeployedApiRouteToItsFunctionBehindTheAuthorizer() {
        assertThat(LocalFunctions.ROUTES).extracting(Route::routeKey).containsExactlyElementsOf(
                Arrays.stream(ApiRoute.values()).filter(route -> !route.localOnly()).map(ApiRoute::routeKey).toList());
        assertThat(LocalFunctions.ROUTES).allSatisfy(route -> assertThat(route.authorized()).isTrue());
        assertThat(LocalFunctions.ROUTES).filteredOn(route -> route.pathTemplate().startsWith("/api/calendar/"))
                .allSatisfy(route -> assertThat(route.function()).isEqualTo(LocalFunctions.CALENDAR.name()));
        assertThat(LocalFunctions.ROUTES).filteredOn(route -> !route.pathTemplate().startsWith("/api/calendar/"))
                .allSatisfy(route -> assertThat(route.function()).isEqualTo(LocalFunctions.TIMELINE.name()));
    }

    @Test
    void leavesTheLocalOnlyRoutesToTheGateway() {
        assertThat(LocalFunctions.ROUTES).extracting(Route::routeKey)
                .doesNotContain(ApiRoute.HEALTH.routeKey(), ApiRoute.OPENAPI_DOCUMENT.routeKey());
    }
}
