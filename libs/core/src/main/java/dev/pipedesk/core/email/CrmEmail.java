package dev.pipedesk.core.email;

import dev.pipedesk.core.calendar.EntityType;
import java.time.Instant;
import java.util.List;

/**
 * An e-mail the CRM's mail integration logged against a lead, deal or contact (a row of
 * {@code crm_emails}).
 *
 * @param messageId  the RFC 5322 Message-ID; logging the same message twice is one row
 * @param from       the sender's address
 * @param to         the recipients' addresses
 * @param cc         the copied addresses
 * @param loggedBy   the user id that logged it
 * @param unlinkedAt when it was unlinked as mis-logged, or null while linked
 * @param unlinkedBy who unlinked it, or null while linked
 */
public record CrmEmail(
        String id,
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
        String entityId,
        String loggedBy,
        Instant loggedAt,
        Instant unlinkedAt,
        String unlinkedBy) {

    public CrmEmail {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
    }

    public boolean isUnlinked() {
        return unlinkedAt != null;
    }
}
