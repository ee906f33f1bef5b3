package dev.pipedesk.emulator.calendar;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which received calls a fault applies to.
 *
 * @param method      HTTP method after {@code X-HTTP-Method-Override} (e.g. {@code PATCH}); null = any
 * @param pathPattern regular expression searched (find) in the request path, e.g.
 *                    {@code /events$} or {@code /events/[a-v0-9]+$}; null = any Calendar API call
 *                    (paths under {@code /calendar/v3/}, never the token endpoint)
 */
public record CallMatcher(String method, String pathPattern) {

    private static final String CALENDAR_API_PREFIX = "/calendar/v3/";

    public CallMatcher {
        method = method == null || method.isBlank() ? null : method.trim().toUpperCase(Locale.ROOT);
        pathPattern = pathPattern == null || pathPattern.isBlank() ? null : pathPattern;
        if (pathPattern != null) {
            Pattern.compile(pathPattern); // fail fast on a bad expression
        }
    }

    /** Every Calendar API call. */
    public static CallMatcher anyApiCall() {
        return new CallMatcher(null, null);
    }

    public static CallMatcher of(String method, String pathPattern) {
        return new CallMatcher(method, pathPattern);
    }

    public boolean matches(String requestMethod, String path) {
        if (method != null && !method.equalsIgnoreCase(requestMethod)) {
            return false;
        }
        if (pathPattern == null) {
            return path.startsWith(CALENDAR_API_PREFIX);
        }
        return Pattern.compile(pathPattern).matcher(path).find();
    }
}
