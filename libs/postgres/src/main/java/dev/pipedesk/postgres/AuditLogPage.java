package dev.pipedesk.postgres;

import java.util.List;

/**
 * One page of the audit log.
 *
 * @param total   how many rows match the query's filters, whatever the page (position and offset
 *                do not reduce it); counted in the same snapshot as {@code items}
 * @param hasMore whether rows follow the last item
 */
public record AuditLogPage(List<AuditLogEntry> items, long total, boolean hasMore) {
    public AuditLogPage {
        items = List.copyOf(items);
    }

    /** Where the next page starts, or null on the last page. */
    public AuditLogPosition nextPosition() {
        return hasMore && !items.isEmpty() ? AuditLogPosition.of(items.getLast()) : null;
    }
}
