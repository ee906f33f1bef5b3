package dev.pipedesk.audit;

import java.util.List;
import java.util.Set;

/** Puts outbox messages on the audit queue. */
public interface OutboxSender {

    /**
     * Sends the messages, in as few requests as the queue allows.
     *
     * @return the event ids the queue accepted; the others were not sent. May throw when nothing
     *         could be sent at all (the exception's message is kept as the rows' last error).
     */
    Set<String> send(List<OutboxMessage> messages);
}
