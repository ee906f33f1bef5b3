package dev.pipedesk.calendar;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.EmailDirection;
import dev.pipedesk.http.DateTimeInput;
import dev.pipedesk.http.QueryParameters;
import dev.pipedesk.http.TextInput;
import dev.pipedesk.postgres.EmailPosition;
import dev.pipedesk.postgres.EmailQuery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Parses and validates the e-mail routes' requests, with the meetings' rules ({@link EventInput}):
 * snake_case fields with camelCase aliases, every problem one 422 detail, no NUL or unpaired
 * surrogate in any text, times only with a UTC offset, addresses checked and lower-cased.
 */
final class EmailInput {
    /** RFC 5322's line limit: the longest Message-ID, thread id or subject kept. */
    static final int MAX_HEADER = 998;
    static final int MAX_SNIPPET = 2_000;
    /** RFC 5321's longest address. */
    static final int MAX_ADDRESS = 254;
    /** Per list ({@code to}, {@code cc}): keeps an e-mail's audit event well under the queue's message size. */
    static final int MAX_RECIPIENTS = 100;
    /** As for a meeting's link. */
    static final int MAX_ENTITY_ID = 255;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private EmailInput() {
    }

    /** The body of {@code POST /api/emails}. */
    static NewEmail parseNew(String body) {
        JsonNode json = EventInput.object(body);
        List<FieldError> errors = new ArrayList<>();
        String messageId = EventInput.required(errors, "message_id",
                EventInput.text(json, errors, "message_id", "messageId").map(String::strip).filter(s -> !s.isEmpty())
                        .map(EmailInput::canonicalMessageId));
        EventInput.checkLength(errors, "message_id", messageId, MAX_HEADER);
        String threadId = EventInput.text(json, errors, "thread_id", "threadId").map(String::strip)
                .filter(s -> !s.isEmpty()).orElse(null);
        EventInput.checkLength(errors, "thread_id", threadId, MAX_HEADER);
        EmailDirection direction = direction(json, errors);
        String from = from(json, errors);
        List<String> to = recipients(json, "to", errors);
        if (to != null && to.isEmpty() && errors.stream().noneMatch(e -> e.field().startsWith("to"))) {
            errors.add(new FieldError("to", "must have at least one address"));
        }
        EventInput.required(errors, "to", Optional.ofNullable(to));
        List<String> cc = recipients(json, "cc", errors);
        String subject = EventInput.text(json, errors, "subject").orElse("");
        EventInput.checkLength(errors, "subject", subject, MAX_HEADER);
        String snippet = EventInput.text(json, errors, "snippet").orElse(null);
        EventInput.checkLength(errors, "snippet", snippet, MAX_SNIPPET);
        Instant sentAt = EventInput.required(errors, "sent_at", sentAt(json, errors));
        EventChanges.EntityLink entity = entity(json, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new NewEmail(messageId, threadId, direction, from, to, cc == null ? List.of() : cc, subject, snippet,
                sentAt, entity.type(), entity.id());
    }

    /**
     * One spelling per message, so a mail integration's formatting cannot log it twice: the angle
     * brackets RFC 5322 requires ({@code <id@domain>}), added when missing, and the domain part
     * (after the last {@code @}) lower-cased, as domains are case-insensitive. The local part is
     * kept as sent (it may be case-sensitive). A value without {@code @} is kept as sent, bracketed.
     */
    static String canonicalMessageId(String raw) {
        String inner = raw.length() >= 2 && raw.startsWith("<") && raw.endsWith(">")
                ? raw.substring(1, raw.length() - 1).strip() : raw;
        int at = inner.lastIndexOf('@');
        String canonical = at < 0 ? inner : inner.substring(0, at + 1) + inner.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        return "<" + canonical + ">";
    }

    /** The query of {@code GET /api/emails}: the entity (required), {@code limit}, {@code cursor}. */
    static EmailQuery parseQuery(Map<String, String> query) {
        QueryParameters parameters = new QueryParameters(query);
        EntityType entityType = parameters.choice("entity_type", "entityType", EntityType::parse,
                "must be one of lead, deal, contact");
        if (!given(query, "entity_type", "entityType")) {
            parameters.reject("entity_type", "is required");
        }
        String entityId = parameters.text("entity_id", "entityId");
        if (!given(query, "entity_id", "entityId")) {
            parameters.reject("entity_id", "is required");
        } else if (entityId != null && entityId.length() > MAX_ENTITY_ID) {
            parameters.reject("entity_id", "must be a non-empty string of at most " + MAX_ENTITY_ID + " characters");
            entityId = null;
        }
        int limit = parameters.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, QueryParameters.NotAnInteger.WITH_RANGE);
        String cursor = parameters.text("cursor");
        EmailPosition after = null;
        if (cursor != null) {
            boolean entityValid = entityType != null && entityId != null;
            after = EmailCursor.decode(cursor, entityValid ? entityType : null, entityId, parameters::reject);
        }
        parameters.throwIfInvalid();
        return new EmailQuery(entityType, entityId, after, limit);
    }

    /** The {@code {id}} of {@code DELETE /api/emails/{id}}: any text that breaks no text rule (unknown ids are 404). */
    static String emailId(String raw) {
        TextInput.problem(raw).ifPresent(problem -> {
            throw ApiException.validation("id", problem);
        });
        return raw;
    }

    /** Whether the query has a non-blank value under the name or its alias. */
    private static boolean given(Map<String, String> query, String name, String alias) {
        return (query.get(name) != null && !query.get(name).isBlank())
                || (query.get(alias) != null && !query.get(alias).isBlank());
    }

    private static EmailDirection direction(JsonNode json, List<FieldError> errors) {
        Optional<String> raw = EventInput.text(json, errors, "direction");
        if (raw.isEmpty()) {
            EventInput.required(errors, "direction", Optional.empty());
            return null;
        }
        Optional<EmailDirection> direction = EmailDirection.parse(raw.get());
        if (direction.isEmpty()) {
            errors.add(new FieldError("direction", "must be one of inbound, outbound"));
        }
        return direction.orElse(null);
    }

    private static String from(JsonNode json, List<FieldError> errors) {
        Optional<String> raw = EventInput.text(json, errors, "from");
        if (raw.isPresent() && !address(raw.get())) {
            errors.add(new FieldError("from", "must be a valid email address"));
            return null;
        }
        return EventInput.required(errors, "from", raw.map(EmailInput::normalised));
    }

    /** {@code to} or {@code cc}: null when absent, else the distinct addresses (errors reported). */
    private static List<String> recipients(JsonNode json, String field, List<FieldError> errors) {
        List<String> addresses = EventInput.addresses(json.get(field), field, MAX_RECIPIENTS, "addresses", errors)
                .orElse(null);
        if (addresses != null && addresses.stream().anyMatch(a -> a.length() > MAX_ADDRESS)) {
            errors.add(new FieldError(field, "addresses must be at most " + MAX_ADDRESS + " characters"));
        }
        return addresses;
    }

    private static boolean address(String raw) {
        return EventInput.isEmailAddress(raw) && raw.trim().length() <= MAX_ADDRESS;
    }

    private static String normalised(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    /** When it was sent, with its offset, kept to the microsecond (PostgreSQL's precision). */
    private static Optional<Instant> sentAt(JsonNode json, List<FieldError> errors) {
        JsonNode node = EventInput.node(json, "sent_at", "sentAt");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString()) {
            errors.add(new FieldError("sent_at", "must be an ISO-8601 date-time string with a UTC offset"));
            return Optional.empty();
        }
        return Optional.ofNullable(DateTimeInput.dateTime(node.asString(), "sent_at", errors))
                .map(instant -> instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** The entity, required: both {@code entity_type} and {@code entity_id}. */
    private static EventChanges.EntityLink entity(JsonNode json, List<FieldError> errors) {
        FieldChange<EventChanges.EntityLink> link = EventInput.entity(json, errors);
        EventChanges.EntityLink entity = link.applyTo(null);
        if (entity == null && errors.stream().noneMatch(e -> e.field().startsWith("entity_"))) {
            errors.add(new FieldError("entity_type", "is required"));
            errors.add(new FieldError("entity_id", "is required"));
        }
        return entity;
    }
}
