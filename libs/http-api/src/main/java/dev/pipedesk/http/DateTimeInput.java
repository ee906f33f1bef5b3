package dev.pipedesk.http;

import dev.pipedesk.core.FieldError;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Date-times as clients send them, in bodies and query strings: ISO-8601 with a UTC offset;
 * nothing is guessed (a date-time without an offset is refused with its own hint).
 */
public final class DateTimeInput {
    /** The earliest instant a bounded {@link Form} accepts: no stored time is before year 1. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest instant a bounded {@link Form} accepts: no stored time is after year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    static final String NO_OFFSET = "must include a UTC offset, e.g. 2026-03-01T14:00:00Z or 2026-03-01T11:00:00-03:00";

    private DateTimeInput() {
    }

    /** What a parameter accepts. */
    public enum Form {
        /** An ISO-8601 date-time with a UTC offset. */
        DATE_TIME,
        /**
         * That, or a plain {@code YYYY-MM-DD} meaning a whole day in UTC (see {@link Bound}); only
         * years 1 to 9999.
         */
        DATE_TIME_OR_DATE;

        private boolean datesAndBoundedYears() {
            return this == DATE_TIME_OR_DATE;
        }

        private String unreadable() {
            return switch (this) {
                case DATE_TIME -> "must be an ISO-8601 date-time with a UTC offset, e.g. 2026-03-01T14:00:00Z";
                case DATE_TIME_OR_DATE ->
                        "must be an ISO-8601 date-time with a UTC offset (2026-03-01T14:00:00Z) or a date (2026-03-01)";
            };
        }

        /** What is added to "must be after …" when a range is empty. */
        String rangeNote() {
            return switch (this) {
                case DATE_TIME -> "";
                case DATE_TIME_OR_DATE -> " (a date-time end is exclusive; a date end includes that day)";
            };
        }
    }

    /** Which instant a plain date stands for: its first, or (an exclusive end) the next day's first. */
    public enum Bound {
        START, END
    }

    /** An ISO-8601 date-time with a UTC offset, or null with one detail for {@code field} added. */
    public static Instant dateTime(String raw, String field, List<FieldError> problems) {
        return parse(raw, field, Form.DATE_TIME, Bound.START, problems);
    }

    /** The instant {@code raw} names in this form, or null with one detail for {@code field} added. */
    public static Instant parse(String raw, String field, Form form, Bound bound, List<FieldError> problems) {
        String text = raw.trim();
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            instant = form.datesAndBoundedYears() ? date(text, bound) : null;
            if (instant == null) {
                problems.add(new FieldError(field, problem(text, form)));
                return null;
            }
        }
        if (form.datesAndBoundedYears() && (instant.isBefore(EARLIEST) || instant.isAfter(LATEST))) {
            problems.add(new FieldError(field, "must be between the years 1 and 9999"));
            return null;
        }
        return instant;
    }

    private static Instant date(String text, Bound bound) {
        try {
            LocalDate day = LocalDate.parse(text);
            return (bound == Bound.END ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException notDate) {
            return null;
        }
    }

    private static String problem(String text, Form form) {
        try {
            LocalDateTime.parse(text);
            return NO_OFFSET;
        } catch (DateTimeParseException notLocal) {
            // A + in a query string's offset arrives decoded as a space.
            boolean plusAsSpace = form.datesAndBoundedYears() && text.contains(" ");
            return form.unreadable() + (plusAsSpace ? " (in a query string, send a + in the offset as %2B)" : "");
        }
    }
}
