package dev.pipedesk.audit;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where audit events are sent: the SQS audit queue and how to reach it.
 *
 * @param queueUrl        the audit queue's URL (required)
 * @param region          the queue's region
 * @param endpoint        another SQS endpoint (e.g. ElasticMQ locally), or null for AWS's
 * @param accessKeyId     static credentials, used only together with {@code secretAccessKey};
 *                        null: the SDK's default chain (the Lambda role)
 * @param secretAccessKey see {@code accessKeyId}
 * @param sessionToken    added to the static credentials when set
 */
public record AuditQueueSettings(String queueUrl, String region, URI endpoint, String accessKeyId,
                                 String secretAccessKey, String sessionToken) {

    public static final String QUEUE_URL_VARIABLE = "AUDIT_QUEUE_URL";
    public static final String REGION_VARIABLE = "AWS_REGION";
    public static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_SQS";
    public static final String ACCESS_KEY_ID_VARIABLE = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY_VARIABLE = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN_VARIABLE = "AWS_SESSION_TOKEN";
    /** Every variable {@link #fromEnv} reads. */
    public static final List<String> VARIABLES = List.of(QUEUE_URL_VARIABLE, REGION_VARIABLE, ENDPOINT_VARIABLE,
            ACCESS_KEY_ID_VARIABLE, SECRET_ACCESS_KEY_VARIABLE, SESSION_TOKEN_VARIABLE);

    public static final String DEFAULT_REGION = "us-east-1";

    public AuditQueueSettings {
        Objects.requireNonNull(queueUrl, "queueUrl");
        Objects.requireNonNull(region, "region");
    }

    /**
     * {@code AUDIT_QUEUE_URL} (required), {@code AWS_REGION} (default {@code us-east-1}),
     * {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}
     * (/ {@code AWS_SESSION_TOKEN}).
     */
    public static AuditQueueSettings fromEnv(Env env) {
        return new AuditQueueSettings(env.required(QUEUE_URL_VARIABLE), env.get(REGION_VARIABLE, DEFAULT_REGION),
                env.optional(ENDPOINT_VARIABLE).map(URI::create).orElse(null),
                env.optional(ACCESS_KEY_ID_VARIABLE).orElse(null), env.optional(SECRET_ACCESS_KEY_VARIABLE).orElse(null),
                env.optional(SESSION_TOKEN_VARIABLE).orElse(null));
    }

    /** Whether both keys are set, so static credentials are used instead of the default chain. */
    public boolean hasStaticCredentials() {
        return accessKeyId != null && secretAccessKey != null;
    }

    /** The environment variables that {@link #fromEnv} reads back as these settings. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(QUEUE_URL_VARIABLE, queueUrl);
        env.put(REGION_VARIABLE, region);
        putIfSet(env, ENDPOINT_VARIABLE, endpoint == null ? null : endpoint.toString());
        putIfSet(env, ACCESS_KEY_ID_VARIABLE, accessKeyId);
        putIfSet(env, SECRET_ACCESS_KEY_VARIABLE, secretAccessKey);
        putIfSet(env, SESSION_TOKEN_VARIABLE, sessionToken);
        return env;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    /** Never prints credentials. */
    @Override
    public String toString() {
        return "AuditQueueSettings[queueUrl=" + queueUrl + ", region=" + region + ", endpoint=" + endpoint
                + ", credentials=" + (hasStaticCredentials() ? "static" : "default chain") + "]";
    }
}
