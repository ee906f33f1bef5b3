package dev.pipedesk.timeline;

import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.http.QueryParameters;
import dev.pipedesk.http.TextInput;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses and validates the audit-log query string of a route into an {@link AuditLogQuery}.
 * Every problem becomes one 422 detail, all reported at once; nothing is guessed.
 *
 * <ul>
 *   <li>No value (path or query) may carry a NUL or an unpaired surrogate ({@link TextInput}).</li>
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

    private AuditLogInput() {
    }

    static AuditLogQuery parse(AuditLogScope scope, Map<String, String> query) {
        QueryParameters parameters = new QueryParameters(query);
        String entityType = null;
        String entityId = null;
        String actorId = null;
        switch (scope) {
            case AuditLogScope.All all -> {
                entityType = identifier(parameters.text("entity_type", "entityType"), "entity_type", parameters);
                actorId = id(parameters.text("user_id", "userId"), "user_id", parameters);
            }
            case AuditLogScope.Entity entity -> {
                entityType = identifier(entity.entityType(), "entity_type", parameters);
                entityId = id(entity.entityId(), "entity_id", parameters);
                givenByPath(parameters, "entity_type", "entityType");
                givenByPath(parameters, "entity_id", "entityId");
                actorId = id(parameters.text("user_id", "userId"), "user_id", parameters);
            }
            case AuditLogScope.User user -> {
                actorId = id(user.userId(), "user_id", parameters);
                givenByPath(parameters, "user_id", "userId");
                entityType = identifier(parameters.text("entity_type", "entityType"), "entity_type", parameters);
            }
        }
        String action = identifier(parameters.text("action"), "action", parameters);
        QueryParameters.TimeRange occurred = parameters.timeRange("start_date", "startDate", "end_date", "endDate",
                DateTimeInput.Form.DATE_TIME_OR_DATE);
        QueryParameters.Page page = parameters.page(DEFAULT_LIMIT, MAX_LIMIT, Integer.MAX_VALUE);
        AuditLogPosition after = null;
        if (page.cursor() != null) {
            AuditLogQuery filters = new AuditLogQuery(entityType, entityId, action, actorId, occurred.from(),
                    occurred.to(), null, 1, 0);
            boolean filtersValid = !parameters.hasProblemsBesides("limit", "offset");
            after = AuditLogCursor.decode(page.cursor(), filtersValid ? filters : null, parameters::reject);
        }
        parameters.throwIfInvalid();
        return new AuditLogQuery(entityType, entityId, action, actorId, occurred.from(), occurred.to(), after,
                page.limit(), page.offset());
    }

    private static void givenByPath(QueryParameters parameters, String name, String alias) {
        if (parameters.text(name, alias) != null) {
            parameters.reject(name, "is already given by the path; leave it out of the query");
        }
    }

    /** Entity types and actions: lower-case identifiers such as {@code lead} or {@code status_change}. */
    private static String identifier(String raw, String field, QueryParameters parameters) {
        if (raw == null) {
            return null;
        }
        if (!IDENTIFIER.matcher(raw).matches()) {
            parameters.reject(field, "must be a lower-case identifier (a-z, 0-9, _; starting with a letter; at most "
                    + MAX_IDENTIFIER_LENGTH + " characters), e.g. " + (field.equals("action") ? "status_change" : "lead"));
            return null;
        }
        return raw;
    }

    private static String id(String raw, String field, QueryParameters parameters) {
        if (raw == null) {
            return null;
        }
        Optional<String> brokenText = TextInput.problem(raw);
        if (brokenText.isPresent()) {
            parameters.reject(field, brokenText.get());
            return null;
        }
        String id = raw.trim();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            parameters.reject(field, "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters");
            return null;
        }
        return id;
    }
}
