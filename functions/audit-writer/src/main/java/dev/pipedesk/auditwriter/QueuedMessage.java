package dev.pipedesk.auditwriter;

/**
 * One message of an SQS batch, as the writer needs it.
 *
 * @param messageId SQS message id: what a partial batch failure names
 * @param body      the audit event JSON
 */
public record QueuedMessage(String messageId, String body) {
}
