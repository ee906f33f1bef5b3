package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.EmailDirection;
import java.time.Instant;
import java.util.List;

/** A validated {@code POST /api/emails} body: addresses lower-cased, {@code subject} "" when absent. */
record NewEmail(
        String messageId,
        String threadId,
        EmailDirection direction,
        String from,
        List<String> to,
        List<String> cc,
        String subject,
        String snippet,
        Instant sentAt,
        EntityType entityType,
        String entityId) {

    NewEmail {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
    }
}
