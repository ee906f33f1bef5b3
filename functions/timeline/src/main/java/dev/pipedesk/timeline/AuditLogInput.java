package dev.pipedesk.timeline;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses and validates the audit-log query string of a route into an {@link AuditLogQuery}.
 * Every problem becomes one 422 detail, all reported at once; nothing is guessed.
 *
 * <ul>
 *   <li>Filters: {@code entity_type} and {@code action} (lower-case identifiers),
 *       {@code user_id} (the actor's id), {@code start_date}, {@code end_date}; camelCase
 *       aliases {@code entityType}, {@code userId}, {@code startDate}, {@code endDate}. A filter
 *       the route's path already sets may not be repeated in the query.</li>
 *   <li>Dates: an ISO-8601 date-time with a UTC offset, or a plain {@code YYYY-MM-DD} meaning
 *       that day in UTC. {@code start_date} is inclusive (a date: from its first instant);
 *       {@code end_date} is exclusive for a date-time and includes the whole day for a date
 *       (the bound is then the next day's midnight UTC). The range must not be empty.</li>
 *   <li>Paging: {@code limit} 1..200 (default 50); {@code offset} &ge; 0 (default 0); or
 *       {@code cursor}, a previous page's {@code next_cursor}, valid only with the same filters
 *       and never together with {@code offset}.</li>
 * </ul>
 */
final class AuditLogInput {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_ID_LENGTH = 255;
    static final int MAX_IDENTIFIER_LENGTH = 64;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0," + (MAX_IDENTIFIER_LENGTH - 1) + "}");
    /** PostgreSQL's timestamptz reaches further, but no audit entry is outside years 1..9999. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private AuditLogInput() {
    }

    static AuditLogQuery parse(AuditLogScope scope, Map<String, String> query) {
        List<FieldError> errors = new ArrayList<>();
        String entityType = null;
        String entityId = null;
        String actorId = null;
        switch (scope) {
            case AuditLogScope.All all -> {
                entityType = identifier(first(query, "entity_type", "entityType"), "entity_type", errors);
                actorId = id(first(query, "user_id", "userId"), "user_id", errors);
            }
            case AuditLogScope.Entity entity -> {
                entityType = identifier(entity.entityType(), "entity_type", errors);
                entityId = id(entity.entityId(), "entity_id", errors);
                givenByPath(query, errors, "entity_type", "entityType");
                givenByPath(query, errors, "entity_id", "entityId");
                actorId = id(first(query, "user_id", "userId"), "user_id", errors);
            }
            case AuditLogScope.User user -> {
                actorId = id(user.userId(), "user_id", errors);
                givenByPath(query, errors, "user_id", "userId");
                entityType = identifier(first(query, "entity_type", "entityType"), "entity_type", errors);
            }
        }
        String action = identifier(first(query, "action", null), "action", errors);
        Instant from = date(first(query, "start_date", "startDate"), "start_date", false, errors);
        Instant before = date(first(query, "end_date", "endDate"), "end_date", true, errors);
        if (from != null && before != null && !before.isAfter(from)) {
            errors.add(new FieldError("end_date", "must be after start_date (a date-time end is exclusive; a date end includes that day)"));
        }
        int limit = integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        String cursor = first(query, "cursor", null);
        int offset = 0;
        if (cursor != null && first(query, "offset", null) != null) {
            errors.add(new FieldError("offset", "cannot be combined with cursor; the cursor already says where the page starts"));
        } else {
            offset = integer(query, "offset", 0, 0, Integer.MAX_VALUE, errors);
        }
        AuditLogPosition after = null;
        if (cursor != null) {
            boolean filtersValid = errors.stream().noneMatch(e -> !e.field().equals("limit") && !e.field().equals("offset"));
            AuditLogQuery filters = new AuditLogQuery(entityType, entityId, action, actorId, from, before, null, 1, 0);
            after = AuditLogCursor.decode(cursor, filtersValid ? filters : null, errors);
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new AuditLogQuery(entityType, entityId, action, actorId, from, before, after, limit, offset);
    }

    /** The trimmed value of {@code name} (or else {@code alias}); null when absent or blank. */
    private static String first(Map<String, String> query, String name, String alias) {
        String value = query.get(name);
        if ((value == null || value.isBlank()) && alias != null) {
            value = query.get(alias);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void givenByPath(Map<String, String> query, List<FieldError> errors, String name, String alias) {
        if (first(query, name, alias) != null) {
            errors.add(new FieldError(name, "is already given by the path; leave it out of the query"));
        }
    }

    /** Entity types and actions: lower-case identifiers such as {@code lead} or {@code status_change}. */
    private static String identifier(String raw, String field, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        if (!IDENTIFIER.matcher(raw).matches()) {
            errors.add(new FieldError(field, "must be a lower-case identifier (a-z, 0-9, _; starting with a letter; at most "
                    + MAX_IDENTIFIER_LENGTH + " characters), e.g. " + (field.equals("action") ? "status_change" : "lead")));
            return null;
        }
        return raw;
    }

    private static String id(String raw, String field, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        String id = raw.trim();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            errors.add(new FieldError(field, "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters"));
            return null;
        }
        return id;
    }

    /**
     * A date-time with offset, as it is; or a date, as midnight UTC of that day ({@code end}:
     * of the next day, so the whole day is included).
     */
    private static Instant date(String raw, String field, boolean end, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                LocalDate day = LocalDate.parse(raw);
                instant = (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException notDate) {
                errors.add(new FieldError(field, dateProblem(raw)));
                return null;
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            errors.add(new FieldError(field, "must be between the years 1 and 9999"));
            return null;
        }
        return instant;
    }

    private static String dateProblem(String raw) {
        try {
            LocalDateTime.parse(raw);
            return "must include a UTC offset, e.g. 2026-03-01T14:00:00Z or 2026-03-01T11:00:00-03:00";
        } catch (DateTimeParseException notLocal) {
            String hint = raw.contains(" ") ? " (in a query string, send a + in the offset as %2B)" : "";
            return "must be an ISO-8601 date-time with a UTC offset (2026-03-01T14:00:00Z) or a date (2026-03-01)" + hint;
        }
    }

    private static int integer(Map<String, String> query, String name, int fallback, int min, int max, List<FieldError> errors) {
        String raw = first(query, name, null);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                errors.add(new FieldError(name, max == Integer.MAX_VALUE ? "must be at least " + min
                        : "must be between " + min + " and " + max));
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(name, max == Integer.MAX_VALUE ? "must be an integer of at least " + min
                    : "must be an integer between " + min + " and " + max));
            return fallback;
        }
    }
}
