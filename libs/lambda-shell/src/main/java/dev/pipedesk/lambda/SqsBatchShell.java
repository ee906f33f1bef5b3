package dev.pipedesk.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.pipedesk.core.metrics.EmfMetrics;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell of an SQS-triggered function: the raw SQS event (up to the mapping's batch size: 10 by
 * default, up to 10,000 for a standard queue with a batching window) in, the messages
 * to the {@link QueueBatchHandler}, a partial batch response out
 * ({@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}}), so SQS deletes the handled
 * messages and redelivers only the failed ones. The event source mapping must have
 * {@code ReportBatchItemFailures} enabled. The event is read by {@link SqsEventReader} (each
 * record's message id and body, nothing else built).
 */
public final class SqsBatchShell extends LambdaShell<SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(SqsBatchShell.class.getName());

    private final String functionName;
    private final QueueBatchHandler handler;
    private final SqsEventReader events;

    /** @param functionName how the function calls itself in logs and errors, e.g. {@code audit-writer} */
    public SqsBatchShell(String functionName, QueueBatchHandler handler) {
        this(functionName, handler, null);
    }

    /**
     * @param functionName how the function calls itself in logs and errors, e.g. {@code audit-writer}
     * @param metrics      what the handler records, published at the end of each invocation (or null)
     */
    public SqsBatchShell(String functionName, QueueBatchHandler handler, EmfMetrics metrics) {
        super(metrics);
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.events = new SqsEventReader(LOG, Level.SEVERE, functionName + " received an unreadable SQS event");
    }

    /**
     * @throws IllegalArgumentException when the event is not an SQS event: no message can be
     *                                  named, so the invocation fails and SQS retries the batch
     */
    @Override
    public SQSBatchResponse apply(InputStream rawEvent) {
        List<QueuedMessage> messages = events.read(rawEvent)
                .orElseThrow(() -> new IllegalArgumentException("The " + functionName + " needs an SQS event"));
        List<String> failed = handler.handle(messages);
        return new SQSBatchResponse(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }
}
