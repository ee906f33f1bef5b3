package dev.pipedesk.timeline;

import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.EntityTag;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The unified timeline's answer: {@code {"items": [...], "pagination": {"limit", "next_cursor",
 * "total"}, "degraded": [...]}}.
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
     *                   when the first page was read (a cursor carries it to the later pages)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pagination(int limit, String nextCursor, long total) {
    }

    /**
     * The page's version: a strong tag of its whole JSON body (entries, pagination and degraded),
     * so equal tags mean equal bodies.
     */
    public EntityTag entityTag() {
        return EntityTag.strong(Hashes.sha256Hex(Json.write(this)).substring(0, 32));
    }
}
