package dev.pipedesk.state;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rate limits and the DynamoDB table that counts them.
 *
 * @param table                 the counter table; null: limiting is off (nothing to count in)
 * @param userLimitPerMinute    requests per user and one-minute window; 0: not limited
 * @param ipLimitPerMinute      requests that failed verification per source IP and window (the
 *                              Google webhook, once it exists); 0: not limited
 * @param region                the table's region
 * @param endpoint              another DynamoDB endpoint (the local emulator), or null for AWS's
 *
 * <p>Credentials are not settings: the function's client takes them from the SDK's default chain
 * (in Lambda the function role's, which Lambda puts in {@code AWS_ACCESS_KEY_ID} and its
 * siblings; locally the dummy values the stack sets there).
 */
public record RateLimitSettings(String table, int userLimitPerMinute, int ipLimitPerMinute, String region,
                                URI endpoint) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable {
        RATE_LIMIT_TABLE, RATE_LIMIT_USER_PER_MINUTE, RATE_LIMIT_IP_PER_MINUTE, AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final int DEFAULT_USER_LIMIT_PER_MINUTE = 600;
    public static final int DEFAULT_IP_LIMIT_PER_MINUTE = 300;
    public static final String DEFAULT_REGION = "us-east-1";

    public RateLimitSettings {
        if (userLimitPerMinute < 0) {
            throw new IllegalStateException("Environment variable " + Variable.RATE_LIMIT_USER_PER_MINUTE
                    + " must be 0 (off) or more, got " + userLimitPerMinute);
        }
        if (ipLimitPerMinute < 0) {
            throw new IllegalStateException("Environment variable " + Variable.RATE_LIMIT_IP_PER_MINUTE
                    + " must be 0 (off) or more, got " + ipLimitPerMinute);
        }
        Objects.requireNonNull(region, "region");
    }

    /**
     * {@code RATE_LIMIT_TABLE} (unset: limiting off), {@code RATE_LIMIT_USER_PER_MINUTE} (600),
     * {@code RATE_LIMIT_IP_PER_MINUTE} (300), {@code AWS_REGION} ({@code us-east-1}),
     * {@code AWS_ENDPOINT_URL_DYNAMODB}.
     */
    public static RateLimitSettings fromEnv(Env env) {
        return new RateLimitSettings(env.optional(Variable.RATE_LIMIT_TABLE.name()).orElse(null),
                env.getInt(Variable.RATE_LIMIT_USER_PER_MINUTE.name(), DEFAULT_USER_LIMIT_PER_MINUTE),
                env.getInt(Variable.RATE_LIMIT_IP_PER_MINUTE.name(), DEFAULT_IP_LIMIT_PER_MINUTE),
                env.get(Variable.AWS_REGION.name(), DEFAULT_REGION),
                env.optional(Variable.AWS_ENDPOINT_URL_DYNAMODB.name()).map(URI::create).orElse(null));
    }

    /** Whether any request is counted: a table is set and at least one limit is above 0. */
    public boolean isEnabled() {
        return table != null && (userLimitPerMinute > 0 || ipLimitPerMinute > 0);
    }

    /** The limit for a subject's kind; 0: not limited. */
    public int limitPerMinute(RateLimitSubject subject) {
        return switch (subject) {
            case RateLimitSubject.User user -> userLimitPerMinute;
            case RateLimitSubject.SourceIp ip -> ipLimitPerMinute;
        };
    }

    /** The environment variables that {@link #fromEnv} reads back as these settings. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (table != null) {
            env.put(Variable.RATE_LIMIT_TABLE.name(), table);
        }
        env.put(Variable.RATE_LIMIT_USER_PER_MINUTE.name(), Integer.toString(userLimitPerMinute));
        env.put(Variable.RATE_LIMIT_IP_PER_MINUTE.name(), Integer.toString(ipLimitPerMinute));
        env.put(Variable.AWS_REGION.name(), region);
        if (endpoint != null) {
            env.put(Variable.AWS_ENDPOINT_URL_DYNAMODB.name(), endpoint.toString());
        }
        return env;
    }
}
