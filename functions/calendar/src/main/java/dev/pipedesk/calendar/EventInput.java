package dev.pipedesk.calendar;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.http.QueryParameters;
import dev.pipedesk.http.TextInput;
import dev.pipedesk.postgres.EventQuery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Parses and validates calendar requests — bodies, query strings, the path's event id and the
 * Idempotency-Key — before anything is read or written. Field names are snake_case with
 * camelCase aliases; every problem becomes one 422 detail, and nothing is guessed (a time
 * without a UTC offset is an error). No text may carry a NUL or an unpaired surrogate
 * ({@link TextInput}): a body with one is refused with those problems alone. Meeting times are
 * kept at whole seconds, Google's precision: they are truncated first, then compared.
 */
final class EventInput {
    static final String DEFAULT_SUMMARY = "Untitled Event";
    static final int MAX_ATTENDEES = 200;
    static final int MAX_SUMMARY = 1024;
    static final int MAX_DESCRIPTION = 8192;
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 100;
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private EventInput() {
    }

    /** The {@code {id}} of the path: any text (a UUID or a Google event id) that breaks no text rule. */
    static String eventId(String raw) {
        TextInput.problem(raw).ifPresent(problem -> {
            throw ApiException.validation("id", problem);
        });
        return raw;
    }

    /** The {@code {id}} of a watch channel's path: any text that breaks no text rule (unknown ids are 404). */
    static String channelId(String raw) {
        return eventId(raw);
    }

    /**
     * The body of {@code POST /api/calendar/watch}: {@code {"calendar_id": optional}} (alias
     * {@code calendarId}); no body at all is the same as {}. Returns the calendar named, or null
     * for the default one (a blank id counts as none, as in a create).
     */
    static String watchedCalendarId(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode json = object(body);
        List<FieldError> errors = new ArrayList<>();
        String calendarId = text(json, errors, "calendar_id", "calendarId").filter(s -> !s.isBlank()).orElse(null);
        checkLength(errors, "calendar_id", calendarId, 1024);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return calendarId;
    }

    /** The Idempotency-Key header, or null when absent (its length is the service's check). */
    static String idempotencyKey(Optional<String> header) {
        header.flatMap(TextInput::problem).ifPresent(problem -> {
            throw ApiException.validation("Idempotency-Key", problem);
        });
        return header.orElse(null);
    }

    static NewEvent parseNew(String body) {
        JsonNode json = object(body);
        List<FieldError> errors = new ArrayList<>();
        String summary = text(json, errors, "summary", "title").orElse(null);
        if (summary == null || summary.isBlank()) {
            summary = DEFAULT_SUMMARY;
        }
        checkLength(errors, "summary", summary, MAX_SUMMARY);
        String description = text(json, errors, "description").orElse(null);
        checkLength(errors, "description", description, MAX_DESCRIPTION);
        Instant start = required(errors, "start_time", time(json, errors, "start_time", "startTime"));
        Instant end = required(errors, "end_time", time(json, errors, "end_time", "endTime"));
        if (start != null && end != null && !end.isAfter(start)) {
            errors.add(new FieldError("end_time", "must be after start_time"));
        }
        List<String> attendees = attendees(json, errors).orElse(List.of());
        boolean meet = bool(json, errors, "create_meet_link", "createMeetLink").orElse(true);
        EventChanges.EntityLink entity = entity(json, errors).applyTo(null);
        String calendarId = text(json, errors, "calendar_id", "calendarId").filter(s -> !s.isBlank()).orElse(null);
        checkLength(errors, "calendar_id", calendarId, 1024);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new NewEvent(summary.strip(), description, start, end, attendees, meet,
                entity == null ? null : entity.type(), entity == null ? null : entity.id(), calendarId);
    }

    /** A PATCH body: an absent field is kept, a JSON null clears it (where that is allowed). */
    static EventChanges parseChanges(String body) {
        JsonNode json = object(body);
        List<FieldError> errors = new ArrayList<>();
        FieldChange<String> summary = FieldChange.keep();
        if (present(json, "summary", "title")) {
            Optional<String> value = text(json, errors, "summary", "title");
            if (value.isEmpty() || value.get().isBlank()) {
                errors.add(new FieldError("summary", "cannot be empty"));
            } else {
                checkLength(errors, "summary", value.get(), MAX_SUMMARY);
                summary = FieldChange.set(value.get().strip());
            }
        }
        FieldChange<String> description = FieldChange.keep();
        if (present(json, "description")) {
            Optional<String> value = text(json, errors, "description");
            checkLength(errors, "description", value.orElse(null), MAX_DESCRIPTION);
            description = value.map(FieldChange::set).orElseGet(FieldChange::clear);
        }
        FieldChange<Instant> start = timeChange(json, errors, "start_time", "startTime");
        FieldChange<Instant> end = timeChange(json, errors, "end_time", "endTime");
        FieldChange<List<String>> attendees = present(json, "attendees")
                ? FieldChange.set(attendees(json, errors).orElse(List.of())) : FieldChange.keep();
        FieldChange<EventChanges.EntityLink> entity = entity(json, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new EventChanges(summary, description, start, end, attendees, entity);
    }

    /** A meeting's start or end in a PATCH: kept when absent, set when given, never cleared. */
    private static FieldChange<Instant> timeChange(JsonNode json, List<FieldError> errors, String name, String alias) {
        if (!present(json, name, alias)) {
            return FieldChange.keep();
        }
        Optional<Instant> value = time(json, errors, name, alias);
        if (value.isEmpty() && isNull(json, name, alias)) {
            errors.add(new FieldError(name, "cannot be null"));
        }
        return value.map(FieldChange::set).orElseGet(FieldChange::keep);
    }

    static EventQuery parseQuery(Map<String, String> query) {
        QueryParameters parameters = new QueryParameters(query);
        QueryParameters.TimeRange window = parameters.timeRange("time_min", "timeMin", "time_max", "timeMax",
                DateTimeInput.Form.DATE_TIME);
        boolean all = "all".equalsIgnoreCase(parameters.text("status"));
        EventStatus status = all ? null : parameters.choice("status", null, EventStatus::parse,
                "must be one of confirmed, tentative, cancelled, all");
        EntityType entityType = parameters.choice("entity_type", "entityType", EntityType::parse,
                "must be one of lead, deal, contact");
        String entityId = parameters.text("entity_id", "entityId");
        if (entityId != null && parameters.text("entity_type", "entityType") == null) {
            parameters.reject("entity_type", "is required with entity_id");
        }
        String calendarId = parameters.text("calendar_id", "calendarId");
        int limit = parameters.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, QueryParameters.NotAnInteger.PLAIN);
        int offset = parameters.integer("offset", 0, 0, Integer.MAX_VALUE, QueryParameters.NotAnInteger.PLAIN);
        parameters.throwIfInvalid();
        return new EventQuery(window.from(), window.to(), status, entityType, entityId, calendarId, limit, offset, all);
    }

    /** The body as a JSON object, refused (400/422) when it is none or breaks a text rule anywhere. */
    static JsonNode object(String body) {
        JsonNode json = Json.parseBody(body);
        if (!json.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        List<FieldError> brokenText = TextInput.problems(json);
        if (!brokenText.isEmpty()) {
            throw ApiException.validation(brokenText);
        }
        return json;
    }

    static boolean present(JsonNode json, String... names) {
        for (String name : names) {
            if (json.has(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNull(JsonNode json, String... names) {
        JsonNode node = node(json, names);
        return node != null && node.isNull();
    }

    static JsonNode node(JsonNode json, String... names) {
        for (String name : names) {
            if (json.has(name)) {
                return json.get(name);
            }
        }
        return null;
    }

    static Optional<String> text(JsonNode json, List<FieldError> errors, String... names) {
        return typed(json, errors, JsonNode::isString, JsonNode::asString, "must be a string", names);
    }

    private static Optional<Boolean> bool(JsonNode json, List<FieldError> errors, String... names) {
        return typed(json, errors, JsonNode::isBoolean, JsonNode::asBoolean, "must be true or false", names);
    }

    /** A meeting time, truncated to whole seconds (Google keeps no fraction). */
    private static Optional<Instant> time(JsonNode json, List<FieldError> errors, String name, String alias) {
        return typed(json, errors, JsonNode::isString, JsonNode::asString,
                "must be an ISO-8601 date-time string with a UTC offset", name, alias)
                .map(raw -> DateTimeInput.dateTime(raw, name, errors))
                .map(instant -> instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The first of {@code names} present in {@code json}, read when it has the expected JSON
     * type; empty when absent or null, and empty with an error (on the first name) when it has
     * another type.
     */
    private static <T> Optional<T> typed(JsonNode json, List<FieldError> errors, Predicate<JsonNode> hasType,
                                         Function<JsonNode, T> read, String typeError, String... names) {
        JsonNode node = node(json, names);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!hasType.test(node)) {
            errors.add(new FieldError(names[0], typeError));
            return Optional.empty();
        }
        return Optional.of(read.apply(node));
    }

    static <T> T required(List<FieldError> errors, String field, Optional<T> value) {
        if (value.isEmpty() && errors.stream().noneMatch(e -> e.field().equals(field))) {
            errors.add(new FieldError(field, "is required"));
        }
        return value.orElse(null);
    }

    static void checkLength(List<FieldError> errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
    }

    /** Emails, lower-cased and de-duplicated in first-seen order; strings or {"email": ...}. */
    private static Optional<List<String>> attendees(JsonNode json, List<FieldError> errors) {
        return addresses(json.get("attendees"), "attendees", MAX_ATTENDEES, "attendees", errors);
    }

    /**
     * A list of e-mail addresses (strings or {@code {"email": ...}}), trimmed, lower-cased and
     * de-duplicated in first-seen order; empty when the node is absent or null. Each bad item is
     * one error on {@code field[i]}; more than {@code max} distinct addresses is one on {@code field}.
     *
     * @param noun what the addresses are, in the "at most" message ({@code attendees})
     */
    static Optional<List<String>> addresses(JsonNode node, String field, int max, String noun, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            errors.add(new FieldError(field, "must be a list of email addresses"));
            return Optional.empty();
        }
        Set<String> emails = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            JsonNode email = item.isObject() ? item.get("email") : item;
            if (email == null || !email.isString() || !isEmailAddress(email.asString())) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a valid email address"));
                continue;
            }
            emails.add(email.asString().trim().toLowerCase(Locale.ROOT));
        }
        if (emails.size() > max) {
            errors.add(new FieldError(field, "must have at most " + max + " distinct " + noun));
        }
        return Optional.of(List.copyOf(emails));
    }

    /** Whether the text (trimmed) is an e-mail address PipeDesk accepts. */
    static boolean isEmailAddress(String text) {
        return EMAIL.matcher(text.trim()).matches();
    }

    /**
     * The CRM link: kept when both fields are absent (or invalid: the error is recorded),
     * cleared when both are null, set when both are given.
     */
    static FieldChange<EventChanges.EntityLink> entity(JsonNode json, List<FieldError> errors) {
        boolean typePresent = present(json, "entity_type", "entityType");
        boolean idPresent = present(json, "entity_id", "entityId");
        if (!typePresent && !idPresent) {
            return FieldChange.keep();
        }
        JsonNode typeNode = node(json, "entity_type", "entityType");
        JsonNode idNode = node(json, "entity_id", "entityId");
        boolean typeNull = typeNode == null || typeNode.isNull();
        boolean idNull = idNode == null || idNode.isNull();
        if (typeNull && idNull) {
            return FieldChange.clear();
        }
        if (typeNull || idNull) {
            errors.add(new FieldError(typeNull ? "entity_type" : "entity_id", "entity_type and entity_id go together"));
            return FieldChange.keep();
        }
        EntityType type = typeNode.isString() ? EntityType.parse(typeNode.asString()).orElse(null) : null;
        if (type == null) {
            errors.add(new FieldError("entity_type", "must be one of lead, deal, contact"));
        }
        String id = idNode.isString() ? idNode.asString().trim() : idNode.isIntegralNumber() ? idNode.asString() : null;
        if (id == null || id.isEmpty() || id.length() > 255) {
            errors.add(new FieldError("entity_id", "must be a non-empty string of at most 255 characters"));
        }
        if (type == null || id == null || id.isEmpty() || id.length() > 255) {
            return FieldChange.keep();
        }
        return FieldChange.set(new EventChanges.EntityLink(type, id));
    }
}
