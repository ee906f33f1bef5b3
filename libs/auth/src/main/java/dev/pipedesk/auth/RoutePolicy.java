package dev.pipedesk.auth;

import dev.pipedesk.core.ApiException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call which route: the one table both the authorizer and the functions consult
 * (defence in depth). Routes are API Gateway route keys, {@code "METHOD /path/{param}"}.
 * Rules here are role rules only; ownership (a sales user editing their own meeting, a user
 * reading their own audit trail) is checked by the function that owns the data.
 */
public final class RoutePolicy {

    /**
     * @param minimum            the lowest role that may call the route
     * @param clientReadRedacted whether a {@link Role#CLIENT} may call it too, seeing redacted data
     */
    public record Rule(Role minimum, boolean clientReadRedacted) {
        public Rule {
            Objects.requireNonNull(minimum, "minimum");
        }

        static Rule atLeast(Role minimum) {
            return new Rule(minimum, false);
        }

        static Rule viewerOrRedactedClient() {
            return new Rule(Role.VIEWER, true);
        }
    }

    private static final RoutePolicy STANDARD = new RoutePolicy(Map.ofEntries(
            Map.entry("POST /api/calendar/events", Rule.atLeast(Role.SALES)),
            Map.entry("GET /api/calendar/events", Rule.viewerOrRedactedClient()),
            Map.entry("GET /api/calendar/events/{id}", Rule.viewerOrRedactedClient()),
            Map.entry("PATCH /api/calendar/events/{id}", Rule.atLeast(Role.SALES)),
            Map.entry("DELETE /api/calendar/events/{id}", Rule.atLeast(Role.SALES)),
            Map.entry("POST /api/calendar/watch", Rule.atLeast(Role.ADMIN)),
            Map.entry("GET /api/calendar/channels", Rule.atLeast(Role.ADMIN)),
            Map.entry("GET /api/timeline/{entity_type}/{entity_id}", Rule.viewerOrRedactedClient()),
            Map.entry("GET /api/audit-logs", Rule.atLeast(Role.ADMIN)),
            Map.entry("GET /api/audit-logs/entity/{entity_type}/{entity_id}", Rule.atLeast(Role.MANAGER)),
            // "admin, or that user": every internal role reaches the function, which admits a
            // user reading their own trail and refuses anyone but an admin reading another's.
            Map.entry("GET /api/audit-logs/user/{user_id}", Rule.atLeast(Role.VIEWER))));

    private final Map<String, Rule> rules;

    public RoutePolicy(Map<String, Rule> rules) {
        Map<String, Rule> normalised = new LinkedHashMap<>();
        rules.forEach((routeKey, rule) -> normalised.put(normalise(routeKey), Objects.requireNonNull(rule)));
        this.rules = Map.copyOf(normalised);
    }

    /** The PipeDesk API's table (see the architecture's API table). */
    public static RoutePolicy standard() {
        return STANDARD;
    }

    /** Every route key the table knows. */
    public Set<String> routeKeys() {
        return rules.keySet();
    }

    public Optional<Rule> ruleFor(String routeKey) {
        return Optional.ofNullable(rules.get(normalise(routeKey)));
    }

    /** Whether {@code principal} may call {@code routeKey}; unknown routes are always denied. */
    public Access decide(String routeKey, Principal principal) {
        Objects.requireNonNull(principal, "principal");
        Rule rule = rules.get(normalise(routeKey));
        if (rule == null) {
            return new Access.Denied("This route is not open to any role.");
        }
        if (principal.role().atLeast(rule.minimum())) {
            return new Access.Allowed(false);
        }
        if (principal.role() == Role.CLIENT && rule.clientReadRedacted()) {
            return new Access.Allowed(true);
        }
        return new Access.Denied("This request needs the " + rule.minimum().wire() + " role or higher.");
    }

    /**
     * {@link #decide} for handlers: the {@link Access.Allowed} decision, or a 403
     * {@link ApiException} carrying the denial's reason.
     */
    public Access.Allowed require(String routeKey, Principal principal) {
        return switch (decide(routeKey, principal)) {
            case Access.Allowed allowed -> allowed;
            case Access.Denied denied -> throw ApiException.forbidden(denied.reason());
        };
    }

    /** {@code "get  /api/x "} → {@code "GET /api/x"}; null → empty. */
    private static String normalise(String routeKey) {
        if (routeKey == null) {
            return "";
        }
        String trimmed = routeKey.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0) {
            return trimmed;
        }
        return trimmed.substring(0, space).toUpperCase(Locale.ROOT) + " " + trimmed.substring(space + 1).trim();
    }
}
