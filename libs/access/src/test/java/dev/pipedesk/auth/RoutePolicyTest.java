package dev.pipedesk.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoutePolicyTest {
    private final RoutePolicy policy = RoutePolicy.standard();

    private static Principal as(Role role) {
        return new Principal("user-" + role.wire(), null, role);
    }

    /** Expected outcome per role, in the order client, viewer, sales, manager, admin: A allowed, R redacted, D denied. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            POST /api/calendar/events                            | D D A A A
            GET /api/calendar/events                             | R A A A A
            GET /api/calendar/events/{id}                        | R A A A A
            PATCH /api/calendar/events/{id}                      | D D A A A
            DELETE /api/calendar/events/{id}                     | D D A A A
            POST /api/calendar/watch                             | D D D D A
            GET /api/calendar/channels                           | D D D D A
            POST /api/emails                                     | D D A A A
            GET /api/emails                                      | D A A A A
            DELETE /api/emails/{id}                              | D D A A A
            GET /api/timeline/{entity_type}/{entity_id}          | R A A A A
            GET /api/audit-logs                                  | D D D D A
            GET /api/audit-logs/entity/{entity_type}/{entity_id} | D D D A A
            GET /api/audit-logs/user/{user_id}                   | D A A A A
            """)
    void decidesEveryRouteForEveryRole(String routeKey, String expectations) {
        String[] expected = expectations.trim().split("\\s+");
        Role[] roles = {Role.CLIENT, Role.VIEWER, Role.SALES, Role.MANAGER, Role.ADMIN};
        assertThat(expected).hasSize(roles.length);
        for (int i = 0; i < roles.length; i++) {
            Access access = policy.decide(routeKey, as(roles[i]));
            switch (expected[i]) {
                case "A" -> assertThat(access).as("%s as %s", routeKey, roles[i]).isEqualTo(new Access.Allowed(false));
                case "R" -> assertThat(access).as("%s as %s", routeKey, roles[i]).isEqualTo(new Access.Allowed(true));
                case "D" -> assertThat(access).as("%s as %s", routeKey, roles[i]).isInstanceOf(Access.Denied.class);
                default -> throw new IllegalArgumentException(expected[i]);
            }
        }
    }

    @Test
    void theTableHoldsExactlyTheApiRoutes() {
        assertThat(policy.routeKeys()).containsExactlyInAnyOrder(
                "POST /api/calendar/events",
                "GET /api/calendar/events",
                "GET /api/calendar/events/{id}",
                "PATCH /api/calendar/events/{id}",
                "DELETE /api/calendar/events/{id}",
                "POST /api/calendar/watch",
                "GET /api/calendar/channels",
                "DELETE /api/calendar/channels/{id}",
                "POST /api/emails",
                "GET /api/emails",
                "DELETE /api/emails/{id}",
                "GET /api/timeline/{entity_type}/{entity_id}",
                "GET /api/audit-logs",
                "GET /api/audit-logs/entity/{entity_type}/{entity_id}",
                "GET /api/audit-logs/user/{user_id}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "$default", "GET /api/unknown", "POST /webhooks/google-calendar",
            "PUT /api/calendar/events/{id}", "GET /api/calendar/events/abc123", "GET /api/calendar/events/",
            "OPTIONS /api/calendar/events"})
    void deniesUnknownRoutesEvenToAdmins(String routeKey) {
        assertThat(policy.decide(routeKey, as(Role.ADMIN))).isInstanceOf(Access.Denied.class);
    }

    @Test
    void deniesANullRouteKey() {
        assertThat(policy.decide(null, as(Role.ADMIN))).isInstanceOf(Access.Denied.class);
    }

    @Test
    void toleratesMethodCaseAndSurroundingSpace() {
        assertThat(policy.decide("  get /api/audit-logs ", as(Role.ADMIN))).isEqualTo(new Access.Allowed(false));
    }

    @Test
    void denialsExplainTheRequiredRole() {
        assertThat(policy.decide("POST /api/calendar/watch", as(Role.MANAGER)))
                .isEqualTo(new Access.Denied("This request needs the admin role or higher."));
    }

    @Test
    void customTablesWork() {
        RoutePolicy custom = new RoutePolicy(Map.of("get /api/reports", new RoutePolicy.Rule(Role.MANAGER, false)));

        assertThat(custom.ruleFor("GET /api/reports")).contains(new RoutePolicy.Rule(Role.MANAGER, false));
        assertThat(custom.decide("GET /api/reports", as(Role.ADMIN))).isEqualTo(new Access.Allowed(false));
        assertThat(custom.decide("GET /api/reports", as(Role.SALES))).isInstanceOf(Access.Denied.class);
        assertThat(custom.decide("GET /api/calendar/events", as(Role.ADMIN))).isInstanceOf(Access.Denied.class);
    }
}
