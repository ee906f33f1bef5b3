package dev.pipedesk.timeline;

import dev.pipedesk.postgres.AuditLogPage;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The audit-log API's answer: {@code {"items": [...], "pagination": {...}}}. */
public record AuditLogPageView(List<AuditLogView> items, Pagination pagination) {

    /**
     * @param total      every entry matching the filters (not only those after the cursor), counted up to
     *                   {@link dev.pipedesk.postgres.AuditLogRepository#EXACT_TOTAL_LIMIT}; above it, that number
     * @param totalExact false when more entries match than {@code total} says (the count stopped at its cap)
     * @param limit      the page size used
     * @param offset     the offset used, or null when the page was read with a cursor
     * @param nextCursor the cursor of the next page, or null on the last page
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pagination(long total, boolean totalExact, int limit, Integer offset, String nextCursor) {
    }

    static AuditLogPageView of(AuditLogPage page, AuditLogQuery query) {
        AuditLogPosition next = page.nextPosition();
        return new AuditLogPageView(
                page.items().stream().map(AuditLogView::of).toList(),
                new Pagination(page.total(), page.totalExact(), query.limit(), query.after() == null ? query.offset() : null,
                        next == null ? null : AuditLogCursor.encode(next, query)));
    }
}
