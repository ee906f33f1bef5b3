package dev.pipedesk.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRouteTest {

    @ParameterizedTest
    @EnumSource(ApiRoute.class)
    void findsEveryRouteByItsExactRouteKey(ApiRoute route) {
        assertThat(ApiRoute.withRouteKey(route.routeKey())).isSameAs(route);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "get /api/calendar/events", "GET  /api/calendar/events", "GET /api/calendar/events/abc",
            "PUT /api/calendar/events/{id}", "$default"})
    @NullSource
    void findsNoRouteForAnyOtherKey(String routeKey) {
        assertThat(ApiRoute.withRouteKey(routeKey)).isNull();
    }

    @Test
    void onlyTheGatewaysHealthOpenApiReferenceAndInvokeRoutesAreLocalOnly() {
        assertThat(Arrays.stream(ApiRoute.values()).filter(ApiRoute::localOnly))
                .containsExactlyInAnyOrder(ApiRoute.HEALTH, ApiRoute.OPENAPI_DOCUMENT, ApiRoute.API_REFERENCE,
                        ApiRoute.API_REFERENCE_ASSET, ApiRoute.INVOKE_FUNCTION);
        assertThat(ApiRoute.HEALTH.routeKey()).isEqualTo("GET /health");
        assertThat(ApiRoute.OPENAPI_DOCUMENT.routeKey()).isEqualTo("GET /openapi.yaml");
        assertThat(ApiRoute.API_REFERENCE.routeKey()).isEqualTo("GET /docs");
        assertThat(ApiRoute.API_REFERENCE_ASSET.routeKey()).isEqualTo("GET /docs/assets/{file}");
    }

    @Test
    void theCalendarTimelineAndWebhookFunctionsServeEveryDeployedRoute() {
        assertThat(ApiRoute.CREATE_EVENT.servedBy())
                .isEqualTo(new ApiRoute.ServedBy.Lambda("calendar", new RoutePolicy.Rule(Role.SALES, false)));
        assertThat(ApiRoute.GET_TIMELINE.servedBy())
                .isEqualTo(new ApiRoute.ServedBy.Lambda("timeline", new RoutePolicy.Rule(Role.VIEWER, true)));
        assertThat(ApiRoute.GOOGLE_CALENDAR_WEBHOOK.servedBy())
                .isEqualTo(new ApiRoute.ServedBy.ChannelAuthenticated("webhook"));
        assertThat(Arrays.stream(ApiRoute.values()).filter(route -> !route.localOnly())
                .filter(route -> route != ApiRoute.GOOGLE_CALENDAR_WEBHOOK).map(ApiRoute::servedBy))
                .allSatisfy(servedBy -> assertThat(servedBy).isInstanceOfSatisfying(ApiRoute.ServedBy.Lambda.class,
                        lambda -> assertThat(lambda.function()).isIn("calendar", "timeline")));
    }

    @Test
    void theCalendarFunctionServesTheEmailRoutesWritesToSalesAndReadsToViewersButNoClient() {
        assertThat(ApiRoute.LOG_EMAIL.routeKey()).isEqualTo("POST /api/emails");
        assertThat(ApiRoute.LOG_EMAIL.servedBy())
                .isEqualTo(new ApiRoute.ServedBy.Lambda("calendar", new RoutePolicy.Rule(Role.SALES, false)));
        assertThat(ApiRoute.LIST_EMAILS.routeKey()).isEqualTo("GET /api/emails");
        assertThat(ApiRoute.LIST_EMAILS.servedBy())
                .isEqualTo(new ApiRoute.ServedBy.Lambda("calendar", new RoutePolicy.Rule(Role.VIEWER, false)));
        assertThat(ApiRoute.UNLINK_EMAIL.routeKey()).isEqualTo("DELETE /api/emails/{id}");
        assertThat(ApiRoute.UNLINK_EMAIL.servedBy())
                .isEqualTo(new ApiRoute.ServedBy.Lambda("calendar", new RoutePolicy.Rule(Role.SALES, false)));
    }

    @Test
    void theStandardPolicyHoldsTheRuleOfEveryDeployedRouteAndNoLocalOne() {
        for (ApiRoute route : ApiRoute.values()) {
            switch (route.servedBy()) {
                case ApiRoute.ServedBy.Lambda lambda ->
                        assertThat(RoutePolicy.standard().ruleFor(route.routeKey())).contains(lambda.access());
                case ApiRoute.ServedBy.ChannelAuthenticated ignored ->
                        assertThat(RoutePolicy.standard().ruleFor(route.routeKey())).isEmpty();
                case ApiRoute.ServedBy.LocalGateway ignored ->
                        assertThat(RoutePolicy.standard().ruleFor(route.routeKey())).isEmpty();
            }
        }
    }
}
