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
 * nothing is guessed (a date-time without an offset is refused with its own hint). Only the years
 * {@value #FIRST_YEAR} to {@value #LAST_YEAR} (in UTC) are accepted, for meetings and for query
 * bounds alike: a year with more than four digits is refused by Google, and before the
 * Julian/Gregorian switch of 1582 the Google client library (which formats times with
 * {@code java.util.GregorianCalendar}) names another day than java.time and PostgreSQL
 * (proleptic Gregorian) do; 1900 keeps well clear of that for times no meeting has.
 */
public final class DateTimeInput {
    public static final int FIRST_YEAR = 1900;
    public static final int LAST_YEAR = 9999;
    /** The earliest instant accepted: the start of {@value #FIRST_YEAR}, UTC. */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    /** The latest instant accepted: the end of {@value #LAST_YEAR}, UTC. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    static final String OUTSIDE_YEARS = "must be between the years " + FIRST_YEAR + " and " + LAST_YEAR + " (UTC)";

    static final String NO_OFFSET = "must include a UTC offset, e.g. 2026-03-01T14:00:00Z or 2026-03-01T11:00:00-03:00";

    private DateTimeInput() {
    }

    /** What a parameter accepts. */
    public enum Form {
        /** An ISO-8601 date-time with a UTC offset. */
        DATE_TIME,
        /** That, or a plain {@code YYYY-MM-DD} meaning a whole day in UTC (see {@link Bound}). */
        DATE_TIME_OR_DATE;

        private boolean acceptsDates() {
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
        } catch (DateTimeException notDateTime) {
            LocalDate day = form.acceptsDates() ? date(text) : null;
            if (day == null) {
                problems.add(new FieldError(field, problem(text, form)));
                return null;
            }
            if (day.getYear() < FIRST_YEAR || day.getYear() > LAST_YEAR) {
                problems.add(new FieldError(field, OUTSIDE_YEARS));
                return null;
            }
            // The end of the last day may be the first instant after the accepted years: it is exclusive.
            return (bound == Bound.END ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            problems.add(new FieldError(field, OUTSIDE_YEARS));
            return null;
        }
        return instant;
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
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
            boolean plusAsSpace = form.acceptsDates() && text.contains(" ");
            return form.unreadable() + (plusAsSpace ? " (in a query string, send a + in the offset as %2B)" : "");
        }
    }
}
