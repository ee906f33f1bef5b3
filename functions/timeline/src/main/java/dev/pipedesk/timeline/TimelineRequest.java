package dev.pipedesk.timeline;

import dev.pipedesk.postgres.TimelineQuery;
import java.util.Objects;

/**
 * A parsed timeline request: the query (for a {@code client}, already narrowed to the meetings
 * its e-mail attends) and, on a page read by cursor, the total the cursor carries.
 *
 * @param knownTotal      the total counted on the first page (from the cursor), or null on a page the
 *                        repository counts itself (one read without a position)
 * @param knownTotalExact whether that total is exact (false: the count stopped at its cap)
 */
public record TimelineRequest(TimelineQuery query, Long knownTotal, boolean knownTotalExact) {
    public TimelineRequest {
        Objects.requireNonNull(query, "query");
        if (query.after() != null && knownTotal == null) {
            throw new IllegalArgumentException("a page after a position needs the total its cursor carries");
        }
    }

    /** A page whose known total (if any) is exact. */
    public TimelineRequest(TimelineQuery query, Long knownTotal) {
        this(query, knownTotal, true);
    }

    /** A page read without a cursor (the repository counts the total). */
    public static TimelineRequest of(TimelineQuery query) {
        return new TimelineRequest(query, null);
    }
}
