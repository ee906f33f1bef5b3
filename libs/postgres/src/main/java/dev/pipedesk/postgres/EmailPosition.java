package dev.pipedesk.postgres;

import dev.pipedesk.core.email.CrmEmail;
import java.time.Instant;
import java.util.Objects;

/**
 * A place in an entity's e-mails, newest first ({@code sent_at} descending, then {@code id}
 * descending): the last e-mail a client has seen. Keyset paging continues strictly after it, so
 * e-mails logged meanwhile never shift or repeat a later page.
 */
public record EmailPosition(Instant sentAt, String id) {
    public EmailPosition {
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(id, "id");
    }

    public static EmailPosition of(CrmEmail email) {
        return new EmailPosition(email.sentAt(), email.id());
    }
}
