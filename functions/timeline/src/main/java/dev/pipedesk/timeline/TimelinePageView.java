package dev.pipedesk.timeline;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The unified timeline's answer: {@code {"items": [...], "pagination": {"limit", "next_cursor",
 * "total", "total_exact"}, "degraded": [...]}}. Its {@code ETag} is a hash of this written as JSON
 * ({@link dev.pipedesk.http.RenderedJson#entityTag}), so equal tags mean equal bodies.
 *
 * @param degraded the sources ({@code audit}, {@code email}, {@code meeting}, in that order) that
 *                 failed and are missing from this page; empty normally
 */
public record TimelinePageView(List<TimelineEntryView> items, Pagination pagination, List<String> degraded) {

    public TimelinePageView {
        items = List.copyOf(items);
        degraded = List.copyOf(degraded);
    }

    /**
     * @param limit      the page size used
     * @param nextCursor the cursor of the next page, or null on the last page
     * @param total      the entries matching the filters across the sources that answered, counted
     *                   when the first page was read (a cursor carries it to the later pages) up to
     *                   {@link dev.pipedesk.postgres.TimelineRepository#EXACT_TOTAL_LIMIT}; above it, that number
     * @param totalExact false when more entries match than {@code total} says (the count stopped at its cap)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pagination(int limit, String nextCursor, long total, boolean totalExact) {
    }
}
