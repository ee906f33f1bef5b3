package dev.pipedesk.postgres;

import dev.pipedesk.core.WireEnum;
import java.util.Optional;

/**
 * The sources of the unified timeline, in their tie-break order: entries with the same timestamp
 * come audit first, then e-mail, then meeting (then by their id, descending). {@link #rank()} is
 * that order; it is part of every timeline cursor, so it never changes.
 */
public enum TimelineSource implements WireEnum {
    /** Audit entries of the entity and of the meetings and e-mails linked to it ({@code occurred_at}). */
    AUDIT,
    /** E-mails logged against the entity and not unlinked ({@code sent_at}). */
    EMAIL,
    /** Meetings linked to the entity and not cancelled ({@code start_time}). */
    MEETING;

    /** The position in the tie-break order among entries with the same timestamp (0 first). */
    public int rank() {
        return ordinal();
    }

    public static Optional<TimelineSource> ofRank(int rank) {
        return rank >= 0 && rank < values().length ? Optional.of(values()[rank]) : Optional.empty();
    }

    public static Optional<TimelineSource> parse(String raw) {
        return WireEnum.parse(TimelineSource.class, raw);
    }
}
