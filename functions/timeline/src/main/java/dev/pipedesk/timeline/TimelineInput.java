package dev.pipedesk.timeline;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.http.QueryParameters;
import dev.pipedesk.http.TextInput;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineSource;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses and validates {@code GET /api/timeline/{entity_type}/{entity_id}} into a
 * {@link TimelineRequest}. Every problem becomes one 422 detail, all reported at once.
 *
 * <ul>
 *   <li>Path: {@code entity_type} {@code lead}, {@code deal} or {@code contact};
 *       {@code entity_id} 1..255 characters. No value may carry a NUL or an unpaired surrogate.</li>
 *   <li>{@code types}: a comma list of {@code meeting}, {@code audit}, {@code email} (default all).</li>
 *   <li>{@code since} (inclusive) and {@code until} (exclusive): ISO-8601 date-times with an
 *       offset; the range must not be empty.</li>
 *   <li>Paging: {@code limit} 1..200 (default 50); {@code cursor}, a previous page's
 *       {@code next_cursor}, valid only with the same filters; or {@code offset} 0..10,000, never
 *       with {@code cursor}.</li>
 *   <li>A {@code client} (redacted caller) reads meetings its e-mail attends, and nothing else:
 *       {@code types} naming other sources is not an error, they are just empty.</li>
 * </ul>
 */
final class TimelineInput {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    /** Offset paging is for compatibility; deeper pages go by cursor, which costs the same at any depth. */
    static final int MAX_OFFSET = 10_000;
    static final int MAX_ID_LENGTH = 255;
    static final String TYPES_PROBLEM = "must be a comma-separated list of meeting, audit, email";

    private TimelineInput() {
    }

    /**
     * @param redacted whether the caller is a {@code client}: then only meetings {@code principal}'s
     *                 e-mail attends (none without an e-mail)
     */
    static TimelineRequest parse(String entityTypeRaw, String entityIdRaw, Map<String, String> query,
                                 Principal principal, boolean redacted) {
        QueryParameters parameters = new QueryParameters(query);
        EntityType entityType = entityType(entityTypeRaw, parameters);
        String entityId = entityId(entityIdRaw, parameters);
        Set<TimelineSource> types = types(parameters.text("types"), parameters);
        QueryParameters.TimeRange range = parameters.timeRange("since", null, "until", null, DateTimeInput.Form.DATE_TIME);
        QueryParameters.Page page = parameters.page(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET);
        String attendeeEmail = null;
        if (redacted) {
            String email = principal.email();
            boolean hasEmail = email != null && !email.isBlank();
            attendeeEmail = hasEmail ? email.trim() : null;
            types = hasEmail && types.contains(TimelineSource.MEETING) ? EnumSet.of(TimelineSource.MEETING) : Set.of();
        }
        TimelineCursor.Decoded after = null;
        if (page.cursor() != null) {
            boolean filtersValid = !parameters.hasProblemsBesides("limit", "offset");
            TimelineQuery filters = filtersValid
                    ? new TimelineQuery(entityType, entityId, types, range.from(), range.to(), 1, null, 0, attendeeEmail)
                    : null;
            after = TimelineCursor.decode(page.cursor(), filters, parameters::reject);
        }
        parameters.throwIfInvalid();
        TimelineQuery parsed = new TimelineQuery(entityType, entityId, types, range.from(), range.to(), page.limit(),
                after == null ? null : after.position(), page.offset(), attendeeEmail);
        return new TimelineRequest(parsed, after == null ? null : after.total(), after == null || after.totalExact());
    }

    private static EntityType entityType(String raw, QueryParameters parameters) {
        Optional<EntityType> type = raw == null ? Optional.empty()
                : Arrays.stream(EntityType.values()).filter(t -> t.wire().equals(raw)).findFirst();
        if (type.isEmpty()) {
            parameters.reject("entity_type", "must be one of lead, deal, contact");
        }
        // A placeholder keeps the remaining checks going; the request fails anyway.
        return type.orElse(EntityType.LEAD);
    }

    private static String entityId(String raw, QueryParameters parameters) {
        Optional<String> brokenText = raw == null ? Optional.empty() : TextInput.problem(raw);
        if (brokenText.isPresent()) {
            parameters.reject("entity_id", brokenText.get());
            return "";
        }
        String id = raw == null ? "" : raw.trim();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            parameters.reject("entity_id", "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    private static Set<TimelineSource> types(String raw, QueryParameters parameters) {
        if (raw == null) {
            return EnumSet.allOf(TimelineSource.class);
        }
        Set<TimelineSource> types = EnumSet.noneOf(TimelineSource.class);
        for (String item : raw.split(",", -1)) {
            Optional<TimelineSource> source = Arrays.stream(TimelineSource.values())
                    .filter(s -> s.wire().equals(item.trim())).findFirst();
            if (source.isEmpty()) {
                parameters.reject("types", TYPES_PROBLEM);
                return EnumSet.allOf(TimelineSource.class);
            }
            types.add(source.get());
        }
        return types;
    }
}
