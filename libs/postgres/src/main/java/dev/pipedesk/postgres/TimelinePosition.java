package dev.pipedesk.postgres;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A place in the timeline's order — {@code timestamp} descending, then the source's
 * {@linkplain TimelineSource#rank() rank} ascending, then the id within the source descending —
 * namely the last entry a client has seen. Keyset paging continues strictly after it.
 *
 * @param id the entry's id within its source: an {@code audit_logs} id (a positive integer) for
 *           {@link TimelineSource#AUDIT}, a UUID (lower case) for e-mails and meetings
 */
public record TimelinePosition(Instant timestamp, TimelineSource source, String id) {

    public TimelinePosition {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        if (idValue(source, id).isEmpty()) {
            throw new IllegalArgumentException("not an id of a " + source.wire() + " entry");
        }
    }

    /** The position of this id, or empty when it is not an id of that source. */
    public static Optional<TimelinePosition> of(Instant timestamp, TimelineSource source, String id) {
        return timestamp == null || source == null || idValue(source, id).isEmpty() ? Optional.empty()
                : Optional.of(new TimelinePosition(timestamp, source, id));
    }

    /** The id as the database compares it: a {@link Long} or a {@link UUID}. */
    Object idParameter() {
        return idValue(source, id).orElseThrow();
    }

    private static Optional<Object> idValue(TimelineSource source, String id) {
        if (id == null || source == null) {
            return Optional.empty();
        }
        try {
            if (source == TimelineSource.AUDIT) {
                long value = Long.parseLong(id);
                return value > 0 && Long.toString(value).equals(id) ? Optional.of(value) : Optional.empty();
            }
            UUID value = UUID.fromString(id);
            return value.toString().equals(id) ? Optional.of(value) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
