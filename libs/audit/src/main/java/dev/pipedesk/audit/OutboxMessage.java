package dev.pipedesk.audit;

import java.util.Objects;

/**
 * One outbox row on its way to the audit queue.
 *
 * @param eventId the event's id (its idempotency key)
 * @param body    the message body: the event's contract JSON
 */
public record OutboxMessage(String eventId, String body) {
    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(body, "body");
    }
}
