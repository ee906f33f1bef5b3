package dev.pipedesk.postgres;

import dev.pipedesk.core.calendar.EntityType;
import java.util.Objects;

/**
 * The linked e-mails of one entity (unlinked ones are left out), newest first ({@code sent_at}
 * descending, ties by {@code id} descending), {@code limit} at a time, strictly after
 * {@code after} (null: from the newest).
 */
public record EmailQuery(EntityType entityType, String entityId, EmailPosition after, int limit) {
    public EmailQuery {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
