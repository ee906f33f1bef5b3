package dev.pipedesk.emulator.calendar;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The emulator's clock for changes: every tick is strictly later (by at least a millisecond)
 * than the previous one, so {@code updated} values and the etags derived from them are unique.
 */
final class Timeline {

    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Instant last = Instant.EPOCH;

    synchronized Instant tick() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (!now.isAfter(last)) {
            now = last.plusMillis(1);
        }
        last = now;
        return now;
    }

    /** RFC 3339 in UTC with milliseconds, e.g. {@code 2020-05-27T11:45:37.792Z}. */
    static String rfc3339(Instant instant) {
        return RFC3339_MILLIS.format(instant);
    }

    /** A quoted decimal etag like Google's ({@code "3181159875584000"}), unique per tick. */
    static String etag(Instant changedAt) {
        return "\"" + changedAt.toEpochMilli() * 2000L + "\"";
    }
}
