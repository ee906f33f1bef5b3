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
 * @param accessKeyId           static credentials, used only together with {@code secretAccessKey};
 *                              null: the SDK's default chain (the Lambda role)
 * @param secretAccessKey       see {@code accessKeyId}
 * @param sessionToken          added to the static credentials when set
 */
public record RateLimitSettings(String table, int userLimitPerMinute, int ipLimitPerMinute, String region,
                                URI endpoint, String accessKeyId, String secretAccessKey, String sessionToken) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable {
        RATE_LIMIT_TABLE, RATE_LIMIT_USER_PER_MINUTE, RATE_LIMIT_IP_PER_MINUTE, AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB,
        AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
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
     * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}
     * (/ {@code AWS_SESSION_TOKEN}).
     */
    public static RateLimitSettings fromEnv(Env env) {
        return new RateLimitSettings(env.optional(Variable.RATE_LIMIT_TABLE.name()).orElse(null),
                env.getInt(Variable.RATE_LIMIT_USER_PER_MINUTE.name(), DEFAULT_USER_LIMIT_PER_MINUTE),
                env.getInt(Variable.RATE_LIMIT_IP_PER_MINUTE.name(), DEFAULT_IP_LIMIT_PER_MINUTE),
                env.get(Variable.AWS_REGION.name(), DEFAULT_REGION),
                env.optional(Variable.AWS_ENDPOINT_URL_DYNAMODB.name()).map(URI::create).orElse(null),
                env.optional(Variable.AWS_ACCESS_KEY_ID.name()).orElse(null),
                env.optional(Variable.AWS_SECRET_ACCESS_KEY.name()).orElse(null),
                env.optional(Variable.AWS_SESSION_TOKEN.name()).orElse(null));
    }

    /** Whether any request is counted: a table is set and at least one limit is above 0. */
    public boolean isEnabled() {
        return table != null && (userLimitPerMinute > 0 || ipLimitPerMinute > 0);
    }

    /** Whether both keys are set, so static credentials are used instead of the default chain. */
    public boolean hasStaticCredentials() {
        return accessKeyId != null && secretAccessKey != null;
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
        putIfSet(env, Variable.RATE_LIMIT_TABLE, table);
        env.put(Variable.RATE_LIMIT_USER_PER_MINUTE.name(), Integer.toString(userLimitPerMinute));
        env.put(Variable.RATE_LIMIT_IP_PER_MINUTE.name(), Integer.toString(ipLimitPerMinute));
        env.put(Variable.AWS_REGION.name(), region);
        putIfSet(env, Variable.AWS_ENDPOINT_URL_DYNAMODB, endpoint == null ? null : endpoint.toString());
        putIfSet(env, Variable.AWS_ACCESS_KEY_ID, accessKeyId);
        putIfSet(env, Variable.AWS_SECRET_ACCESS_KEY, secretAccessKey);
        putIfSet(env, Variable.AWS_SESSION_TOKEN, sessionToken);
        return env;
    }

    private static void putIfSet(Map<String, String> env, Variable variable, String value) {
        if (value != null) {
            env.put(variable.name(), value);
        }
    }

    /** Never prints credentials. */
    @Override
    public String toString() {
        return "RateLimitSettings[table=" + table + ", userLimitPerMinute=" + userLimitPerMinute + ", ipLimitPerMinute="
                + ipLimitPerMinute + ", region=" + region + ", endpoint=" + endpoint + ", credentials="
                + (hasStaticCredentials() ? "static" : "default chain") + "]";
    }
}
