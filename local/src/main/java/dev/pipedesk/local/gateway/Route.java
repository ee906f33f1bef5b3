package dev.pipedesk.local.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One HTTP API route: {@code METHOD /path/{param}} → a function, behind the Lambda authorizer or
 * open (e.g. Google's webhook, which carries a channel token instead of a JWT).
 *
 * <p>Path templates follow API Gateway: literal segments, {@code {name}} for one segment and a
 * final {@code {name+}} for the rest of the path. {@code ANY} matches every method.
 */
public record Route(String method, String pathTemplate, String function, boolean authorized) {

    public Route {
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(function, "function");
        if (!pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with '/': " + pathTemplate);
        }
        List<String> segments = segments(pathTemplate);
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.endsWith("+}") && i != segments.size() - 1) {
                throw new IllegalArgumentException("a greedy parameter must be last: " + pathTemplate);
            }
        }
    }

    /** A route that needs the Lambda authorizer's approval. */
    public static Route authorized(String method, String pathTemplate, String function) {
        return new Route(method, pathTemplate, function, true);
    }

    /** A route without authorizer. */
    public static Route open(String method, String pathTemplate, String function) {
        return new Route(method, pathTemplate, function, false);
    }

    /** API Gateway's route key, e.g. {@code GET /api/calendar/events/{id}}. */
    public String routeKey() {
        return method + " " + pathTemplate;
    }

    List<String> templateSegments() {
        return segments(pathTemplate);
    }

    static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return List.of(trimmed.split("/", -1));
    }
}
