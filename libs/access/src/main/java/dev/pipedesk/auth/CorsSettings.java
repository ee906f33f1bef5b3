package dev.pipedesk.auth;

import dev.pipedesk.core.Env;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CORS as an API Gateway HTTP API's {@code corsConfiguration} does it: for an allowed
 * {@code Origin} the gateway answers preflight {@code OPTIONS} requests itself (204, before any
 * route, authorizer or function) and adds {@code Access-Control-Allow-Origin} to every response.
 * In AWS this is the HTTP API's own configuration (the CDK stack sets it), not function code.
 *
 * @param allowedOrigins exact origins ({@code https://app.example.com}), or {@code *} for any; empty: no CORS
 */
public record CorsSettings(List<String> allowedOrigins) {

    /** The variable {@link #fromEnv} reads. */
    public enum Variable {
        CORS_ALLOWED_ORIGINS
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    /** What a browser may send and read, as the CDK stack configures the HTTP API. */
    public static final List<String> ALLOWED_METHODS = List.of("GET", "POST", "PATCH", "DELETE", "OPTIONS");
    public static final List<String> ALLOWED_HEADERS = List.of("authorization", "content-type", "idempotency-key",
            "if-match", "if-none-match");
    public static final List<String> EXPOSED_HEADERS = List.of("etag", "location", "retry-after", "www-authenticate",
            "apigw-requestid");
    public static final int MAX_AGE_SECONDS = 600;

    public CorsSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new IllegalStateException("Environment variable " + Variable.CORS_ALLOWED_ORIGINS
                        + " holds an origin that is not scheme://host[:port] or *: " + origin);
            }
        }
    }

    /** No CORS: preflights are routed like any request (405), no CORS headers (the default). */
    public static CorsSettings none() {
        return new CorsSettings(List.of());
    }

    /** {@code CORS_ALLOWED_ORIGINS}: a comma-separated list; unset or blank: none. */
    public static CorsSettings fromEnv(Env env) {
        return env.optional(Variable.CORS_ALLOWED_ORIGINS.name())
                .map(value -> new CorsSettings(Arrays.stream(value.split(",")).map(String::trim)
                        .filter(origin -> !origin.isEmpty()).map(origin -> origin.replaceAll("/+$", "")).toList()))
                .orElseGet(CorsSettings::none);
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /** Whether a request's {@code Origin} may read responses (origins compare case-insensitively). */
    public boolean allows(String origin) {
        return origin != null && allowedOrigins.stream()
                .anyMatch(allowed -> allowed.equals("*") || allowed.toLowerCase(Locale.ROOT).equals(origin.toLowerCase(Locale.ROOT)));
    }

    /** The {@code Access-Control-Allow-Origin} value for an allowed origin. */
    public String allowOriginValue(String origin) {
        return allowedOrigins.contains("*") ? "*" : origin;
    }
}
