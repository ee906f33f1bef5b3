package dev.pipedesk.timeline;

import dev.pipedesk.core.JsonText;
import dev.pipedesk.postgres.AuditLogEntry;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The wording rules every timeline summary follows, so the same row always gives the same text
 * whatever the machine's locale, time zone or the JSON's key order:
 * <ul>
 *   <li>a value taken from the data is put on one line (every run of white space or control
 *       characters becomes one space, ends trimmed, bidirectional embedding, override and isolate
 *       controls dropped) and cut to a maximum number of characters
 *       (Unicode code points), ending in {@value #ELLIPSIS} when cut;</li>
 *   <li>field names are listed sorted (Unicode order), at most {@value #MAX_FIELDS}, then
 *       "and N more";</li>
 *   <li>times are shown in UTC in English: {@code 2 Jun 2026 15:00 UTC} (seconds only when not zero).</li>
 * </ul>
 */
final class SummaryText {
    /** Names, titles and subjects (a meeting's title, a lead's name, an e-mail's subject). */
    static final int MAX_NAME = 100;
    /** An e-mail address. */
    static final int MAX_ADDRESS = 100;
    /** A field's old or new value ("Status changed: new → qualified"). */
    static final int MAX_VALUE = 60;
    /** Field names listed ("Updated: amount, stage"). */
    static final int MAX_FIELDS = 10;
    static final String ELLIPSIS = "…";
    static final String ARROW = " → ";

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("d MMM uuuu HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("d MMM uuuu HH:mm:ss 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private SummaryText() {
    }

    /** The value on one line, cut to {@code max} code points (then ending in …); "" for null. */
    static String cut(String value, int max) {
        if (value == null) {
            return "";
        }
        StringBuilder line = new StringBuilder();
        boolean space = false;
        int kept = 0;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            i += Character.charCount(codePoint);
            if (isBidiControl(codePoint)) {
                continue;
            }
            if (Character.isWhitespace(codePoint) || Character.isISOControl(codePoint) || Character.isSpaceChar(codePoint)) {
                space = !line.isEmpty();
                continue;
            }
            if (space) {
                if (kept == max) {
                    return line + ELLIPSIS;
                }
                line.append(' ');
                kept++;
                space = false;
            }
            if (kept == max) {
                return line + ELLIPSIS;
            }
            line.appendCodePoint(codePoint);
            kept++;
        }
        return line.toString();
    }

    /**
     * The explicit embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069): a
     * value carrying one could reorder the rest of the summary as a client displays it.
     */
    private static boolean isBidiControl(int codePoint) {
        return codePoint >= 0x202A && codePoint <= 0x202E || codePoint >= 0x2066 && codePoint <= 0x2069;
    }

    /** A name or title, cut; {@code fallback} when absent or blank. */
    static String name(String value, String fallback) {
        String line = cut(value, MAX_NAME);
        return line.isEmpty() ? fallback : line;
    }

    /** A JSON value as text: a string as it is, {@code none} for null or absent, anything else as JSON; cut. */
    static String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "none";
        }
        String line = cut(node.isString() ? node.asString() : node.toString(), MAX_VALUE);
        return line.isEmpty() ? "(empty)" : line;
    }

    /** The string value of a JSON node, or null when absent, null or not a string. */
    static String string(JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }

    /**
     * A field of a snapshot, or null when there is no snapshot, it is no object or it lacks the
     * field: read from the snapshot's text up to that field (most summaries read one field of one
     * snapshot, or none).
     */
    static JsonNode field(JsonText snapshot, String name) {
        return snapshot == null ? null : snapshot.field(name);
    }

    /** The entry's {@code after} when it is a JSON object (the thing as it now is), else its {@code before}. */
    static JsonText afterOrBefore(AuditLogEntry entry) {
        return entry.after() != null && entry.after().isObject() ? entry.after() : entry.before();
    }

    /** A property of a JSON object, or null when the node is no object or lacks it. */
    static JsonNode property(JsonNode object, String name) {
        return object != null && object.isObject() ? object.get(name) : null;
    }

    /** Field names sorted and joined ("amount, stage"), at most {@link #MAX_FIELDS}, then "and N more". */
    static String fields(Collection<String> names) {
        List<String> sorted = names.stream().map(name -> cut(name, MAX_VALUE)).sorted().toList();
        return list(sorted, MAX_FIELDS);
    }

    /** Items joined with ", ", at most {@code max} of them, then " and N more". */
    static String list(List<String> items, int max) {
        if (items.size() <= max) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, max)) + " and " + (items.size() - max) + " more";
    }

    /** The property names of a JSON object (the changed fields of a {@code changes} column); empty for anything else. */
    static List<String> names(JsonNode object) {
        return object != null && object.isObject() ? new ArrayList<>(object.propertyNames()) : List.of();
    }

    /** The field names of stored JSON (the changed fields of a {@code changes} column); empty for anything else. */
    static List<String> names(JsonText stored) {
        return stored == null ? List.of() : stored.fieldNames();
    }

    /** An instant in UTC, English: {@code 2 Jun 2026 15:00 UTC}. */
    static String time(Instant instant) {
        return (Math.floorMod(instant.getEpochSecond(), 60) == 0 ? MINUTES : SECONDS).format(instant);
    }

    /** A JSON date-time (ISO-8601 with offset, as audit JSON stores it) in UTC; the value as text when it is none. */
    static String time(JsonNode node) {
        String text = string(node);
        if (text != null) {
            try {
                return time(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeException e) {
                // not a date-time: shown as it is
            }
        }
        return value(node);
    }
}
