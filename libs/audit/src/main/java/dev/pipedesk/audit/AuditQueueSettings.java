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

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable {
        AUDIT_QUEUE_URL, AWS_REGION, AWS_ENDPOINT_URL_SQS, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

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
        return new AuditQueueSettings(env.required(Variable.AUDIT_QUEUE_URL.name()),
                env.get(Variable.AWS_REGION.name(), DEFAULT_REGION),
                env.optional(Variable.AWS_ENDPOINT_URL_SQS.name()).map(URI::create).orElse(null),
                env.optional(Variable.AWS_ACCESS_KEY_ID.name()).orElse(null),
                env.optional(Variable.AWS_SECRET_ACCESS_KEY.name()).orElse(null),
                env.optional(Variable.AWS_SESSION_TOKEN.name()).orElse(null));
    }

    /** Whether both keys are set, so static credentials are used instead of the default chain. */
    public boolean hasStaticCredentials() {
        return accessKeyId != null && secretAccessKey != null;
    }

    /** The environment variables that {@link #fromEnv} reads back as these settings. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Variable.AUDIT_QUEUE_URL.name(), queueUrl);
        env.put(Variable.AWS_REGION.name(), region);
        putIfSet(env, Variable.AWS_ENDPOINT_URL_SQS, endpoint == null ? null : endpoint.toString());
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
        return "AuditQueueSettings[queueUrl=" + queueUrl + ", region=" + region + ", endpoint=" + endpoint
                + ", credentials=" + (hasStaticCredentials() ? "static" : "default chain") + "]";
    }
}
