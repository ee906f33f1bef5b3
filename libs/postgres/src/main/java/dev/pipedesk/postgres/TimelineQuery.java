package dev.pipedesk.postgres;

import dev.pipedesk.core.calendar.EntityType;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One page of an entity's unified timeline.
 *
 * @param sources       which sources to read (at least none: an empty set is an empty page)
 * @param since         inclusive lower bound of the entries' timestamps, or null
 * @param until         exclusive upper bound, or null
 * @param limit         the page size, at least 1
 * @param after         continue strictly after this position (keyset paging), or null for the first page
 * @param offset        entries to skip (after {@code after}, if given); 0 normally
 * @param attendeeEmail when set (an external {@code client}), only meetings with an attendee of
 *                      this address (compared case-insensitively), and nothing of the other sources
 */
public record TimelineQuery(
        EntityType entityType,
        String entityId,
        Set<TimelineSource> sources,
        Instant since,
        Instant until,
        int limit,
        TimelinePosition after,
        int offset,
        String attendeeEmail) {

    public TimelineQuery {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        sources = sources.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(sources));
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
    }

    /** Every source, newest first, from the start: the first page of the whole timeline. */
    public static TimelineQuery firstPage(EntityType entityType, String entityId, int limit) {
        return new TimelineQuery(entityType, entityId, EnumSet.allOf(TimelineSource.class), null, null, limit, null, 0,
                null);
    }

    /** The same query continuing after {@code position}, with no offset. */
    public TimelineQuery after(TimelinePosition position) {
        return new TimelineQuery(entityType, entityId, sources, since, until, limit, position, 0, attendeeEmail);
    }

    /** The sources this query actually reads: a client's query reads meetings only. */
    public Set<TimelineSource> effectiveSources() {
        if (attendeeEmail == null) {
            return sources;
        }
        return sources.contains(TimelineSource.MEETING) ? Set.of(TimelineSource.MEETING) : Set.of();
    }

    /** Whether a page of this query counts its total: only a page read without a position. */
    public boolean countsTotal() {
        return after == null;
    }
}
