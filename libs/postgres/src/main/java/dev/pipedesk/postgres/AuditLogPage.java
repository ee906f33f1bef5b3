package dev.pipedesk.postgres;

import java.util.List;

/**
 * One page of the audit log.
 *
 * @param total      how many rows match the query's filters, whatever the page (position and offset
 *                   do not reduce it); counted in the same snapshot as {@code items}, up to a cap
 *                   ({@link AuditLogRepository#EXACT_TOTAL_LIMIT}): above it, the cap
 * @param hasMore    whether rows follow the last item
 * @param totalExact whether {@code total} is the exact count (false: more rows match than {@code total})
 */
public record AuditLogPage(List<AuditLogEntry> items, long total, boolean hasMore, boolean totalExact) {
    public AuditLogPage {
        items = List.copyOf(items);
    }

    /** A page whose total is exact. */
    public AuditLogPage(List<AuditLogEntry> items, long total, boolean hasMore) {
        this(items, total, hasMore, true);
    }

    /** Where the next page starts, or null on the last page. */
    public AuditLogPosition nextPosition() {
        return hasMore && !items.isEmpty() ? AuditLogPosition.of(items.getLast()) : null;
    }
}
