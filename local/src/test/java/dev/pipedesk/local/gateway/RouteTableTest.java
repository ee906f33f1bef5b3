package dev.pipedesk.local.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {
    private final RouteTable table = new RouteTable(List.of(
            Route.authorized("GET", "/api/calendar/events", "calendar"),
            Route.authorized("POST", "/api/calendar/events", "calendar"),
            Route.authorized("GET", "/api/calendar/events/{id}", "calendar"),
            Route.authorized("DELETE", "/api/calendar/events/{id}", "calendar"),
            Route.authorized("GET", "/api/calendar/events/upcoming", "special"),
            Route.authorized("GET", "/api/timeline/{entityType}/{id}", "timeline"),
            Route.open("ANY", "/files/{path+}", "files"),
            Route.open("POST", "/webhooks/google-calendar", "webhook")));

    @Test
    void matchesMethodAndPathAndExtractsDecodedPathParameters() {
        RouteTable.Match match = table.match("GET", "/api/timeline/deal/d%2F42");

        assertThat(match).isInstanceOfSatisfying(RouteTable.Found.class, found -> {
            assertThat(found.route().routeKey()).isEqualTo("GET /api/timeline/{entityType}/{id}");
            assertThat(found.pathParameters()).containsEntry("entityType", "deal").containsEntry("id", "d/42");
        });
    }

    @Test
    void prefersLiteralSegmentsOverParameters() {
        assertThat(table.match("GET", "/api/calendar/events/upcoming"))
                .isInstanceOfSatisfying(RouteTable.Found.class, found -> assertThat(found.route().function()).isEqualTo("special"));
        assertThat(table.match("GET", "/api/calendar/events/abc"))
                .isInstanceOfSatisfying(RouteTable.Found.class, found -> assertThat(found.route().function()).isEqualTo("calendar"));
    }

    @Test
    void greedyParametersTakeTheRestOfThePathForAnyMethod() {
        assertThat(table.match("PUT", "/files/a/b/c.txt")).isInstanceOfSatisfying(RouteTable.Found.class,
                found -> assertThat(found.pathParameters()).containsEntry("path", "a/b/c.txt"));
        assertThat(table.match("GET", "/files")).isInstanceOf(RouteTable.NotFound.class);
    }

    @Test
    void tellsAWrongMethodFromAnUnknownPath() {
        assertThat(table.match("PUT", "/api/calendar/events")).isInstanceOfSatisfying(RouteTable.MethodNotAllowed.class,
                notAllowed -> assertThat(notAllowed.allowedMethods()).containsExactly("GET", "POST"));
        assertThat(table.match("GET", "/api/nothing")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(table.match("GET", "/api/calendar/events/a/b")).isInstanceOf(RouteTable.NotFound.class);
        assertThat(table.match("GET", "/api/calendar/events/")).isInstanceOf(RouteTable.NotFound.class);
    }

    @Test
    void rejectsDuplicateRoutes() {
        assertThatThrownBy(() -> new RouteTable(List.of(Route.open("GET", "/a", "x"), Route.open("get", "/a", "y"))))
                .hasMessageContaining("duplicate route GET /a");
    }
}
