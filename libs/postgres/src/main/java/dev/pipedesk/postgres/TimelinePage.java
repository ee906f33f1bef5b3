package dev.pipedesk.postgres;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One page of a unified timeline.
 *
 * @param total    how many entries match the query across the sources that answered, counted in
 *                 the page's snapshot; null when the query does not count (a page after a position)
 * @param hasMore  whether entries follow the last one (among the sources that answered)
 * @param degraded the sources that failed and are missing from the page (empty normally)
 */
public record TimelinePage(List<TimelineEntry> entries, Long total, boolean hasMore, Set<TimelineSource> degraded) {
    public TimelinePage {
        entries = List.copyOf(entries);
        degraded = degraded.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(degraded));
    }

    /** Where the next page starts, or null on the last page. */
    public TimelinePosition nextPosition() {
        return hasMore && !entries.isEmpty() ? entries.getLast().position() : null;
    }
}
