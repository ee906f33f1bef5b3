package dev.pipedesk.audit;

import dev.pipedesk.core.Env;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Sends outbox messages to the SQS audit queue with {@code SendMessageBatch}: at most 10
 * entries and {@value #MAX_BATCH_BYTES} bytes of bodies per request. The body is the event's
 * contract JSON; there are no message attributes. The queue is a standard queue: no
 * deduplication id or group (the audit-writer de-duplicates by {@code event_id}).
 */
public final class SqsOutboxSender implements OutboxSender {
    private static final Logger LOG = Logger.getLogger(SqsOutboxSender.class.getName());

    /** SendMessageBatch limits: entries per request, and bytes of all bodies together. */
    static final int MAX_BATCH_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = 262_144;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsOutboxSender(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    /** A sender configured from the environment: {@link AuditQueueSettings#fromEnv}, then {@link #create}. */
    public static SqsOutboxSender fromEnv(Env env) {
        return create(AuditQueueSettings.fromEnv(env));
    }

    /**
     * A sender to the queue of {@code settings}, through {@link SqsClients#create} (static
     * credentials when both keys are set, else the SDK's default chain; short timeouts).
     */
    public static SqsOutboxSender create(AuditQueueSettings settings) {
        return new SqsOutboxSender(SqsClients.create(settings.region(), settings.endpoint(), settings.accessKeyId(),
                settings.secretAccessKey(), settings.sessionToken()), settings.queueUrl());
    }

    /**
     * Sends in batches. A batch the queue refuses as a whole is logged and the next one is tried;
     * when the queue cannot be reached, sending stops. Throws only when nothing was accepted and
     * a request failed, so the caller can record why.
     */
    @Override
    public Set<String> send(List<OutboxMessage> messages) {
        Set<String> accepted = new HashSet<>();
        SdkException failure = null;
        for (List<OutboxMessage> batch : batches(messages)) {
            try {
                accepted.addAll(sendBatch(batch));
            } catch (SdkClientException e) {
                // The queue cannot be reached (or the call timed out): later batches would fail too.
                failure = e;
                break;
            } catch (SdkException e) {
                failure = e;
                LOG.warning(() -> "Audit queue refused a request of " + batch.size() + " event(s): " + e.getMessage());
            }
        }
        if (failure != null) {
            if (accepted.isEmpty()) {
                throw failure;
            }
            String reason = failure.getMessage();
            LOG.warning(() -> "Audit queue: " + accepted.size() + " of " + messages.size() + " event(s) sent, then: " + reason);
        }
        return accepted;
    }

    private Set<String> sendBatch(List<OutboxMessage> batch) {
        Map<String, String> eventIdByEntryId = new HashMap<>();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            OutboxMessage message = batch.get(i);
            String entryId = "m" + i;
            eventIdByEntryId.put(entryId, message.eventId());
            entries.add(SendMessageBatchRequestEntry.builder().id(entryId).messageBody(message.body()).build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(entries));
        Set<String> accepted = new HashSet<>();
        for (SendMessageBatchResultEntry ok : response.successful()) {
            accepted.add(eventIdByEntryId.get(ok.id()));
        }
        for (BatchResultErrorEntry failed : response.failed()) {
            LOG.warning(() -> "Audit queue refused event " + eventIdByEntryId.get(failed.id()) + ": " + failed.code()
                    + (failed.senderFault() ? " (sender fault)" : "") + " " + failed.message());
        }
        return accepted;
    }

    /** Splits into requests of at most 10 entries and {@value #MAX_BATCH_BYTES} body bytes. */
    static List<List<OutboxMessage>> batches(List<OutboxMessage> messages) {
        List<List<OutboxMessage>> batches = new ArrayList<>();
        List<OutboxMessage> current = new ArrayList<>();
        int currentBytes = 0;
        for (OutboxMessage message : messages) {
            int bytes = message.body().getBytes(StandardCharsets.UTF_8).length;
            if (!current.isEmpty() && (current.size() == MAX_BATCH_ENTRIES || currentBytes + bytes > MAX_BATCH_BYTES)) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(message);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
