package dev.pipedesk.lambda;

import java.util.List;

/** What an SQS-triggered function does with a batch: what {@link SqsBatchShell} hands each batch to. */
@FunctionalInterface
public interface QueueBatchHandler {

    /**
     * @return the ids of the messages that failed: SQS delivers those again (and, after the
     *         queue's receive limit, moves them to its dead-letter queue) and deletes the others
     */
    List<String> handle(List<QueuedMessage> messages);
}
