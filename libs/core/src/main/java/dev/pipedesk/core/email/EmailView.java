package dev.pipedesk.core.email;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A logged e-mail as the API shows it (snake_case; the addresses as {@code from}, {@code to},
 * {@code cc}, the names a client logs them with), and as its audit events carry it in
 * {@code before}/{@code after}. {@code unlinked_at}/{@code unlinked_by} are null while it is linked.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EmailView(
        String id,
        String messageId,
        String threadId,
        String direction,
        String from,
        List<String> to,
        List<String> cc,
        String subject,
        String snippet,
        Instant sentAt,
        String entityType,
        String entityId,
        String loggedBy,
        Instant loggedAt,
        Instant unlinkedAt,
        String unlinkedBy) {

    public static EmailView of(CrmEmail e) {
        return new EmailView(e.id(), e.messageId(), e.threadId(), e.direction().wire(), e.from(), e.to(), e.cc(),
                e.subject(), e.snippet(), e.sentAt(), e.entityType().wire(), e.entityId(), e.loggedBy(), e.loggedAt(),
                e.unlinkedAt(), e.unlinkedBy());
    }
}
