package dev.pipedesk.sync;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where sync requests go: the FIFO sync queue ({@code pipedesk-calendar-sync.fifo}).
 *
 * @param queueUrl        the queue's URL (required)
 * @param region          the queue's region
 * @param endpoint        another SQS endpoint (e.g. ElasticMQ locally), or null for AWS's
 * @param accessKeyId     static credentials, used only together with {@code secretAccessKey};
 *                        null: the SDK's default chain (the Lambda role)
 * @param secretAccessKey see {@code accessKeyId}
 * @param sessionToken    added to the static credentials when set
 */
public record SyncQueueSettings(String queueUrl, String region, URI endpoint, String accessKeyId,
                                String secretAccessKey, String sessionToken) {

    /** The environment variables {@link #fromEnv} reads (the AWS ones are shared with the audit queue). */
    public enum Variable {
        CALENDAR_SYNC_QUEUE_URL, AWS_REGION, AWS_ENDPOINT_URL_SQS, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public SyncQueueSettings {
        Objects.requireNonNull(queueUrl, "queueUrl");
        Objects.requireNonNull(region, "region");
    }

    /** {@code CALENDAR_SYNC_QUEUE_URL} (required), {@code AWS_REGION} (default us-east-1), {@code AWS_ENDPOINT_URL_SQS}, keys. */
    public static SyncQueueSettings fromEnv(Env env) {
        return new SyncQueueSettings(env.required(Variable.CALENDAR_SYNC_QUEUE_URL.name()),
                env.get(Variable.AWS_REGION.name(), "us-east-1"),
                env.optional(Variable.AWS_ENDPOINT_URL_SQS.name()).map(URI::create).orElse(null),
                env.optional(Variable.AWS_ACCESS_KEY_ID.name()).orElse(null),
                env.optional(Variable.AWS_SECRET_ACCESS_KEY.name()).orElse(null),
                env.optional(Variable.AWS_SESSION_TOKEN.name()).orElse(null));
    }

    /** Never prints credentials. */
    @Override
    public String toString() {
        return "SyncQueueSettings[queueUrl=" + queueUrl + ", region=" + region + ", endpoint=" + endpoint + "]";
    }
}
