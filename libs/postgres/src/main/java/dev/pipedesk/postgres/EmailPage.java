package dev.pipedesk.postgres;

import dev.pipedesk.core.email.CrmEmail;
import java.util.List;

/**
 * One page of an entity's e-mails.
 *
 * @param total   every linked e-mail of the entity (the position does not reduce it), counted in
 *                the same snapshot as {@code items}
 * @param hasMore whether e-mails follow the last item
 */
public record EmailPage(List<CrmEmail> items, long total, boolean hasMore) {
    public EmailPage {
        items = List.copyOf(items);
    }

    /** Where the next page starts, or null on the last page. */
    public EmailPosition nextPosition() {
        return hasMore && !items.isEmpty() ? EmailPosition.of(items.getLast()) : null;
    }
}
