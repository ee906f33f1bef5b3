package dev.pipedesk.local.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Matches a request to a route as API Gateway HTTP APIs do: the most specific path wins
 * (literal segments before {@code {param}} before a greedy {@code {param+}}), and a method's own
 * route before {@code ANY}.
 */
public final class RouteTable {
    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<String, Route> keys = new LinkedHashMap<>();
        for (Route route : this.routes) {
            if (keys.put(route.routeKey(), route) != null) {
                throw new IllegalArgumentException("duplicate route " + route.routeKey());
            }
        }
    }

    public List<Route> routes() {
        return routes;
    }

    public sealed interface Match {
    }

    /** A route matched; {@code pathParameters} are percent-decoded. */
    public record Found(Route route, Map<String, String> pathParameters) implements Match {
    }

    /** The path exists, but not for this method. */
    public record MethodNotAllowed(List<String> allowedMethods) implements Match {
    }

    public record NotFound() implements Match {
    }

    /** @param rawPath the request path as received (percent-encoded) */
    public Match match(String method, String rawPath) {
        List<String> requestSegments = Route.segments(rawPath);
        Found best = null;
        int[] bestScore = null;
        TreeSet<String> methodsForPath = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> parameters = bind(route.templateSegments(), requestSegments);
            if (parameters == null) {
                continue;
            }
            methodsForPath.add(route.method());
            boolean methodMatches = route.method().equals(method) || route.method().equals("ANY");
            if (!methodMatches) {
                continue;
            }
            int[] score = specificity(route, method);
            if (bestScore == null || compare(score, bestScore) > 0) {
                best = new Found(route, parameters);
                bestScore = score;
            }
        }
        if (best != null) {
            return best;
        }
        if (!methodsForPath.isEmpty()) {
            return new MethodNotAllowed(List.copyOf(methodsForPath));
        }
        return new NotFound();
    }

    /** Parameters when the template matches the path, else null. */
    private static Map<String, String> bind(List<String> template, List<String> path) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            if (isGreedy(segment)) {
                if (i >= path.size()) {
                    return null;
                }
                String rest = String.join("/", path.subList(i, path.size()));
                if (rest.isEmpty()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 2), decode(rest));
                return parameters;
            }
            if (i >= path.size()) {
                return null;
            }
            String value = path.get(i);
            if (isParameter(segment)) {
                if (value.isEmpty()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 1), decode(value));
            } else if (!segment.equals(value)) {
                return null;
            }
        }
        return template.size() == path.size() ? parameters : null;
    }

    /** Literal segments first (position by position), then non-greedy, then the exact method. */
    private static int[] specificity(Route route, String method) {
        List<String> template = route.templateSegments();
        int[] score = new int[template.size() + 2];
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            score[i] = isGreedy(segment) ? 0 : isParameter(segment) ? 1 : 2;
        }
        score[template.size()] = template.stream().anyMatch(RouteTable::isGreedy) ? 0 : 1;
        score[template.size() + 1] = route.method().equals(method) ? 1 : 0;
        return score;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static boolean isGreedy(String segment) {
        return segment.startsWith("{") && segment.endsWith("+}");
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        List<String> keys = new ArrayList<>();
        routes.forEach(route -> keys.add(route.routeKey()));
        Collections.sort(keys);
        return String.join(", ", keys);
    }
}
