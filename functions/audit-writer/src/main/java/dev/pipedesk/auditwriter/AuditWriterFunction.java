package dev.pipedesk.auditwriter;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The Lambda-facing shell of the audit-writer: an SQS event (up to 10 messages) in, a partial
 * batch response out ({@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}}), so
 * SQS deletes the written messages and redelivers only the failed ones. The event source
 * mapping must have {@code ReportBatchItemFailures} enabled.
 *
 * <p>It takes the raw event stream and parses it with the Lambda runtime's own serializer:
 * with a bound event type the Spring Cloud Function adapter logs the whole event (audit
 * payloads included) and may split collections into separate invocations.
 */
public final class AuditWriterFunction implements Function<InputStream, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(AuditWriterFunction.class.getName());

    private final AuditLogWriter writer;
    private final PojoSerializer<SQSEvent> events;

    public AuditWriterFunction(AuditLogWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.events = LambdaEventSerializers.serializerFor(SQSEvent.class, AuditWriterFunction.class.getClassLoader());
    }

    /**
     * @throws IllegalArgumentException when the event is not an SQS event: no message can be
     *                                  named, so the invocation fails and SQS retries the batch
     */
    @Override
    public SQSBatchResponse apply(InputStream rawEvent) {
        SQSEvent event;
        try {
            event = events.fromJson(rawEvent);
        } catch (RuntimeException e) {
            // The parser's message may quote the event: log the type only.
            LOG.severe(() -> "audit-writer received an unreadable SQS event (" + e.getClass().getSimpleName() + ")");
            throw new IllegalArgumentException("The audit-writer needs an SQS event");
        }
        List<QueuedMessage> messages = event.getRecords() == null ? List.of()
                : event.getRecords().stream().map(m -> new QueuedMessage(m.getMessageId(), m.getBody())).toList();
        WriteReport report = writer.write(messages);
        LOG.info(() -> "audit-writer batch: received=" + messages.size() + " written=" + report.written()
                + " duplicates=" + report.duplicates() + " failed=" + report.failedMessageIds().size());
        return new SQSBatchResponse(report.failedMessageIds().stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }
}
