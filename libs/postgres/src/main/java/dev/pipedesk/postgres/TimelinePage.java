package dev.pipedesk.postgres;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One page of a unified timeline.
 *
 * @param total      how many entries match the query across the sources that answered, counted in
 *                   the page's snapshot up to a cap ({@link TimelineRepository#EXACT_TOTAL_LIMIT} by
 *                   default): above it, the cap; null when the query does not count (a page after a position)
 * @param totalExact whether {@code total} is the exact count (false: more entries match than {@code total});
 *                   true when there is no total
 * @param hasMore    whether entries follow the last one (among the sources that answered)
 * @param degraded   the sources that failed and are missing from the page (empty normally)
 */
public record TimelinePage(List<TimelineEntry> entries, Long total, boolean totalExact, boolean hasMore,
                           Set<TimelineSource> degraded) {
    public TimelinePage {
        entries = List.copyOf(entries);
        degraded = degraded.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(degraded));
    }

    /** A page whose total (if any) is exact. */
    public TimelinePage(List<TimelineEntry> entries, Long total, boolean hasMore, Set<TimelineSource> degraded) {
        this(entries, total, true, hasMore, degraded);
    }

    /** Where the next page starts, or null on the last page. */
    public TimelinePosition nextPosition() {
        return hasMore && !entries.isEmpty() ? entries.getLast().position() : null;
    }
}
