package dev.pipedesk.auth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call which route: the check both the authorizer and the functions make (defence in
 * depth). Routes are API Gateway route keys, {@code "METHOD /path/{param}"}; the standard
 * rules are those of {@link ApiRoute}, the one route table.
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

    private static final RoutePolicy STANDARD = new RoutePolicy(ApiRoute.accessRules());

    private final Map<String, Rule> rules;

    public RoutePolicy(Map<String, Rule> rules) {
        Map<String, Rule> normalised = new LinkedHashMap<>();
        rules.forEach((routeKey, rule) -> normalised.put(normalise(routeKey), Objects.requireNonNull(rule)));
        this.rules = Map.copyOf(normalised);
    }

    /** The rules of every deployed {@link ApiRoute}. */
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
