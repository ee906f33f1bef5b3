package dev.pipedesk.http;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A request's query string, read parameter by parameter into typed values. Every problem
 * becomes one 422 detail, in the order the parameters are read, and {@link #throwIfInvalid()}
 * reports them all at once. A parameter may have an alias (its camelCase spelling), tried when
 * the name is absent; a blank value counts as absent; values are trimmed. A value that breaks
 * the {@link TextInput} rule (a NUL, an unpaired surrogate) is reported and read as absent, so it
 * never reaches a query.
 */
public final class QueryParameters {
    private final Map<String, String> query;
    private final List<FieldError> problems = new ArrayList<>();

    public QueryParameters(Map<String, String> query) {
        this.query = Objects.requireNonNull(query, "query");
    }

    /** How a value that is not an integer is reported. */
    public enum NotAnInteger {
        /** "must be an integer". */
        PLAIN,
        /** With the range: "must be an integer between 1 and 200", "must be an integer of at least 0". */
        WITH_RANGE
    }

    /** A time range from two parameters; either end may be null (not given, or invalid). */
    public record TimeRange(Instant from, Instant to) {
    }

    /** Which page a list asks for: a {@code limit}, and a {@code cursor} (as given, or null) or an {@code offset}. */
    public record Page(int limit, String cursor, int offset) {
    }

    /** The value of {@code name}, or null when absent. */
    public String text(String name) {
        return text(name, null);
    }

    /**
     * The value of {@code name}, else of {@code alias} (may be null); null when both are absent,
     * and null with a problem reported for {@code name} when the value is not acceptable text.
     */
    public String text(String name, String alias) {
        String value = query.get(name);
        if ((value == null || value.isBlank()) && alias != null) {
            value = query.get(alias);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        Optional<String> problem = TextInput.problem(value);
        if (problem.isPresent()) {
            reject(name, problem.get());
            return null;
        }
        return value.trim();
    }

    /**
     * One of a closed set of values (an enum's wire names, say): null when absent, and null with
     * {@code problem} reported for {@code name} when {@code parse} does not know the value.
     */
    public <T> T choice(String name, String alias, Function<String, Optional<T>> parse, String problem) {
        String raw = text(name, alias);
        if (raw == null) {
            return null;
        }
        Optional<T> value = parse.apply(raw);
        if (value.isEmpty()) {
            reject(name, problem);
        }
        return value.orElse(null);
    }

    /** An integer from {@code min} to {@code max} ({@link Integer#MAX_VALUE}: no upper bound), else {@code fallback}. */
    public int integer(String name, int fallback, int min, int max, NotAnInteger wording) {
        String raw = text(name);
        if (raw == null) {
            return fallback;
        }
        String range = max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                reject(name, "must be " + range);
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            reject(name, switch (wording) {
                case PLAIN -> "must be an integer";
                case WITH_RANGE -> "must be an integer " + (max == Integer.MAX_VALUE ? "of " : "") + range;
            });
            return fallback;
        }
    }

    /**
     * The {@code limit} (1 to {@code maxLimit}, else {@code defaultLimit}), {@code cursor} and
     * {@code offset} (0 to {@code maxOffset}) of a list paged by cursor that also takes an offset;
     * an offset given with a cursor is a problem on {@code offset} (and 0).
     */
    public Page page(int defaultLimit, int maxLimit, int maxOffset) {
        int limit = integer("limit", defaultLimit, 1, maxLimit, NotAnInteger.WITH_RANGE);
        String cursor = text("cursor");
        int offset = 0;
        if (cursor != null && text("offset") != null) {
            reject("offset", "cannot be combined with cursor; the cursor already says where the page starts");
        } else {
            offset = integer("offset", 0, 0, maxOffset, NotAnInteger.WITH_RANGE);
        }
        return new Page(limit, cursor, offset);
    }

    /**
     * The range {@code from} (inclusive) to {@code to} (exclusive), each end optional; a plain
     * date (where the form allows one) is its day's start at {@code from} and the next day's
     * start at {@code to}, so the whole day is included. Reports an empty range on {@code to}.
     */
    public TimeRange timeRange(String from, String fromAlias, String to, String toAlias, DateTimeInput.Form form) {
        Instant start = time(from, fromAlias, form, DateTimeInput.Bound.START);
        Instant end = time(to, toAlias, form, DateTimeInput.Bound.END);
        if (start != null && end != null && !end.isAfter(start)) {
            reject(to, "must be after " + from + form.rangeNote());
        }
        return new TimeRange(start, end);
    }

    private Instant time(String name, String alias, DateTimeInput.Form form, DateTimeInput.Bound bound) {
        String raw = text(name, alias);
        return raw == null ? null : DateTimeInput.parse(raw, name, form, bound, problems);
    }

    /** Reports a problem with a field (a parameter, or a path value the query is read with). */
    public void reject(String field, String message) {
        reject(new FieldError(field, message));
    }

    /** Reports a problem; one already reported (a parameter read twice) is not repeated. */
    public void reject(FieldError problem) {
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    /** Whether a field other than these has a problem so far. */
    public boolean hasProblemsBesides(String... fields) {
        Set<String> besides = Set.of(fields);
        return problems.stream().anyMatch(problem -> !besides.contains(problem.field()));
    }

    /** @throws ApiException 422 with every problem reported, when there is one */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
    }
}
