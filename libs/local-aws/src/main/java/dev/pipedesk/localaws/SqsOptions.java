package dev.pipedesk.localaws;

import java.time.Duration;
import java.util.Objects;

/**
 * How the local SQS (ElasticMQ) runs and how its queues (the audit queue, the calendar sync queue) are configured.
 *
 * @param port              the port on 127.0.0.1; 0 picks a free one (kept across {@link LocalSqs#stop()} /
 *                          {@link LocalSqs#start()})
 * @param visibilityTimeout the audit and sync queues' visibility timeout: how long a received message stays
 *                          hidden before it is delivered again (whole seconds, 0..12 h)
 * @param maxReceiveCount   the redrive policy: after this many receives a message moves to the dead-letter queue
 */
public record SqsOptions(int port, Duration visibilityTimeout, int maxReceiveCount) {
    public static final int DEFAULT_PORT = 9324;
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;

    public SqsOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        if (visibilityTimeout.isNegative() || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0
                || visibilityTimeout.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("visibilityTimeout must be whole seconds, 0 s..12 h");
        }
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be 1..1000");
        }
    }

    /** Port 9324, 30 s visibility timeout, dead-letter queue after 5 receives. */
    public static SqsOptions defaults() {
        return new SqsOptions(DEFAULT_PORT, DEFAULT_VISIBILITY_TIMEOUT, DEFAULT_MAX_RECEIVE_COUNT);
    }

    public SqsOptions withPort(int value) {
        return new SqsOptions(value, visibilityTimeout, maxReceiveCount);
    }

    public SqsOptions withVisibilityTimeout(Duration value) {
        return new SqsOptions(port, value, maxReceiveCount);
    }
}
