package dev.pipedesk.lambda;

/**
 * One message of an SQS batch, as a function's service sees it.
 *
 * @param messageId SQS message id: what a partial batch failure names
 * @param body      the message body
 */
public record QueuedMessage(String messageId, String body) {
}
