package dev.pipedesk.sync;

import dev.pipedesk.audit.SqsClients;
import dev.pipedesk.core.Json;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The FIFO sync queue: each request is one message whose group is the calendar (SQS then hands
 * a calendar's messages out one batch at a time, so one calendar is never synced twice at once)
 * and whose de-duplication id is {@link SyncRequest#deduplicationId()}.
 */
public final class SqsSyncQueue implements SyncQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsSyncQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    public static SqsSyncQueue create(SyncQueueSettings settings) {
        return new SqsSyncQueue(SqsClients.create(settings.region(), settings.endpoint(), settings.accessKeyId(),
                settings.secretAccessKey(), settings.sessionToken()), settings.queueUrl());
    }

    /** The calendar as a message group id: SQS allows at most 128 characters; a longer id is hashed. */
    static String groupId(String calendarId) {
        return calendarId.length() <= 128 ? calendarId : dev.pipedesk.core.Hashes.sha256Hex(calendarId);
    }

    @Override
    public void request(SyncRequest request) {
        try {
            sqs.sendMessage(send -> send.queueUrl(queueUrl)
                    .messageBody(Json.write(request))
                    .messageGroupId(groupId(request.calendarId()))
                    .messageDeduplicationId(request.deduplicationId()));
        } catch (SdkException e) {
            throw new SyncQueueUnavailableException("Could not send a sync request for " + request.calendarId()
                    + " to the sync queue: " + e.getClass().getSimpleName(), e);
        }
    }
}
