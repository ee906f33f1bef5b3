package dev.pipedesk.auditwriter;

import dev.pipedesk.core.Json;
import dev.pipedesk.postgres.NewAuditLogEntry;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The audit-writer's fast path: reads one message body in a single streaming pass, checks it
 * against the audit event contract ({@code audit-event.schema.json}) and builds its row, without
 * a JSON tree, without the JSON Schema engine and without serialising {@code before},
 * {@code after} and {@code changes} again (their text is taken from the body as it came).
 *
 * <p>It only ever says yes for certain: {@link #read} returns a row only for a body that keeps
 * every rule of the schema in a form this class checks exactly (a strict subset of what the
 * schema accepts: lower-case UUIDs, RFC 3339 times checked field by field, dotted-quad IPv4,
 * no duplicate keys, ...). Anything else, valid or not, gets an empty answer and the writer asks
 * {@link dev.pipedesk.audit.AuditEventValidator}, which stays the contract's one authority (and
 * names the violations). So the fast path changes no verdict, only the cost of the common one; its
 * tests check it against the schema on valid and broken events, and pin the schema it was written
 * for.
 */
public final class ContractFastPath {
    private static final Set<String> ACTIONS = Set.of("create", "update", "delete", "status_change", "cancel", "restore",
            "sync_create", "sync_update", "sync_cancel", "sync_conflict", "unlink");
    private static final int MAX_ID = 255;
    /** The contract's top-level fields (additionalProperties: false); each may appear once. */
    private static final java.util.List<String> FIELDS = java.util.List.of("schema_version", "event_id", "entity_type",
            "entity_id", "action", "actor", "occurred_at", "before", "after", "changes", "source", "request_id", "ip",
            "user_agent");

    private ContractFastPath() {
    }

    /** The row of a body that certainly keeps the contract; empty when that is not certain. */
    public static Optional<NewAuditLogEntry> read(String body) {
        if (body == null) {
            return Optional.empty();
        }
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            return Optional.ofNullable(readEvent(parser, body));
        } catch (RuntimeException e) {  // JacksonException included: not JSON, or not as expected
            return Optional.empty();
        }
    }

    /** The row, or null when not certain. */
    private static NewAuditLogEntry readEvent(JsonParser parser, String body) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        int seen = 0;
        String eventId = null;
        String entityType = null;
        String entityId = null;
        String action = null;
        String[] actor = null;
        String occurredAt = null;
        String before = null;
        String after = null;
        String changes = null;
        String source = null;
        String requestId = null;
        String ip = null;
        String userAgent = null;
        boolean schemaVersion = false;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            int index = FIELDS.indexOf(name);
            int bit = 1 << index;
            if (index < 0 || (seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            JsonToken value = parser.nextToken();
            switch (name) {
                case "schema_version" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                            || parser.getIntValue() != 1) {
                        return null;
                    }
                    schemaVersion = true;
                }
                case "event_id" -> {
                    eventId = string(parser, value);
                    if (eventId == null || !isLowerCaseUuid(eventId)) {
                        return null;
                    }
                }
                case "entity_type" -> {
                    entityType = string(parser, value);
                    if (entityType == null || !isName(entityType, false)) {
                        return null;
                    }
                }
                case "entity_id" -> {
                    entityId = string(parser, value);
                    if (entityId == null || !hasLength(entityId, 1, MAX_ID)) {
                        return null;
                    }
                }
                case "action" -> {
                    action = string(parser, value);
                    if (action == null || !isAction(action)) {
                        return null;
                    }
                }
                case "actor" -> {
                    actor = value == JsonToken.START_OBJECT ? readActor(parser) : null;
                    if (actor == null) {
                        return null;
                    }
                }
                case "occurred_at" -> {
                    occurredAt = string(parser, value);
                    if (occurredAt == null || !isDateTime(occurredAt)) {
                        return null;
                    }
                }
                case "source" -> {
                    source = string(parser, value);
                    if (source == null || !isName(source, true)) {
                        return null;
                    }
                }
                case "before", "after" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    String text = objectText(parser, body);
                    if (name.equals("before")) {
                        before = text;
                    } else {
                        after = text;
                    }
                }
                case "changes" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    if (!readChanges(parser)) {
                        return null;
                    }
                    changes = body.substring(start, (int) parser.currentLocation().getCharOffset());
                }
                case "request_id", "user_agent" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.VALUE_STRING
                            || !hasLength(parser.getString(), 0, name.equals("request_id") ? MAX_ID : 1024)) {
                        return null;
                    }
                    if (name.equals("request_id")) {
                        requestId = parser.getString();
                    } else {
                        userAgent = parser.getString();
                    }
                }
                case "ip" -> {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.VALUE_STRING || !isIpv4(parser.getString())) {
                        return null;
                    }
                    ip = parser.getString();
                }
                default -> {
                    return null;
                }
            }
        }
        if (parser.nextToken() != null || !schemaVersion || eventId == null || entityType == null || entityId == null
                || action == null || actor == null || occurredAt == null || source == null) {
            return null;
        }
        return new NewAuditLogEntry(eventId, 1, entityType, entityId, action, actor[0], actor[1], occurredAt, before, after,
                changes, source, requestId, ip, userAgent);
    }

    private static String string(JsonParser parser, JsonToken value) {
        return value == JsonToken.VALUE_STRING ? parser.getString() : null;
    }

    /** {type, id} of an actor the schema certainly accepts, or null. */
    private static String[] readActor(JsonParser parser) {
        String type = null;
        String id = null;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_STRING) {
                return null;
            }
            if (name.equals("type") && type == null) {
                type = parser.getString();
            } else if (name.equals("id") && id == null) {
                id = parser.getString();
            } else {
                return null;
            }
        }
        if (type == null || id == null || !hasLength(id, 1, MAX_ID)) {
            return null;
        }
        boolean ok = switch (type) {
            case "system" -> id.startsWith("system:") && id.length() > "system:".length()
                    && id.chars().skip("system:".length()).allMatch(c -> c > 0x20 && c < 0x7f);
            case "user" -> !id.startsWith("system:");
            default -> false;
        };
        return ok ? new String[]{type, id} : null;
    }

    /** Reads a changes object ({@code field: {old, new}}); false when not certainly valid. */
    private static boolean readChanges(JsonParser parser) {
        Set<String> fields = new HashSet<>();
        for (String field = parser.nextName(); field != null; field = parser.nextName()) {
            if (!fields.add(field) || !hasLength(field, 1, 128) || parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean oldSeen = false;
            boolean newSeen = false;
            for (String key = parser.nextName(); key != null; key = parser.nextName()) {
                if (key.equals("old") && !oldSeen) {
                    oldSeen = true;
                } else if (key.equals("new") && !newSeen) {
                    newSeen = true;
                } else {
                    return false;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            if (!oldSeen || !newSeen) {
                return false;
            }
        }
        return true;
    }

    /** The text of the object whose START_OBJECT is the current token, as it is in the body. */
    private static String objectText(JsonParser parser, String body) {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        return body.substring(start, (int) parser.currentLocation().getCharOffset());
    }

    /**
     * Within the schema's length bounds for certain: JSON Schema counts code points, at most as many as the
     * UTF-16 units counted here, and a non-empty string has at least one.
     */
    private static boolean hasLength(String value, int min, int max) {
        return value.length() >= min && value.length() <= max;
    }

    /** {@code ^[a-z][a-z0-9_]{0,62}$} (entity_type), or with {@code -} as well (source). */
    private static boolean isName(String value, boolean dash) {
        if (value.isEmpty() || value.length() > 63 || value.charAt(0) < 'a' || value.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || dash && c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A documented action, or {@code ^[a-z][a-z_]{1,40}$}. */
    private static boolean isAction(String value) {
        if (ACTIONS.contains(value)) {
            return true;
        }
        if (value.length() < 2 || value.length() > 41 || value.charAt(0) < 'a' || value.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** 8-4-4-4-12 lower-case hex digits. */
    private static boolean isLowerCaseUuid(String value) {
        if (value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)} in upper case, a real date (no 30 February) and time
     * (no leap second), year 0001..9999, fraction 1..9 digits, offset up to ±14:00 and not {@code -00:00}.
     */
    private static boolean isDateTime(String value) {
        int n = value.length();
        if (n < 20 || n > 35 || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':') {
            return false;
        }
        int year = number(value, 0, 4);
        int month = number(value, 5, 2);
        int day = number(value, 8, 2);
        int hour = number(value, 11, 2);
        int minute = number(value, 14, 2);
        int second = number(value, 17, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        int i = 19;
        if (value.charAt(i) == '.') {
            int digits = 0;
            for (i++; i < n && isDigit(value.charAt(i)); i++) {
                digits++;
            }
            if (digits < 1 || digits > 9) {
                return false;
            }
        }
        if (i == n - 1) {
            return value.charAt(i) == 'Z';
        }
        if (i != n - 6 || value.charAt(i + 3) != ':' || value.charAt(i) != '+' && value.charAt(i) != '-') {
            return false;
        }
        int offsetHours = number(value, i + 1, 2);
        int offsetMinutes = number(value, i + 4, 2);
        return offsetHours >= 0 && offsetMinutes >= 0 && offsetMinutes <= 59
                && (offsetHours < 14 || offsetHours == 14 && offsetMinutes == 0)
                && !(value.charAt(i) == '-' && offsetHours == 0 && offsetMinutes == 0);
    }

    /** The decimal number of {@code digits} digits at {@code from}, or -1 when one is not a digit. */
    private static int number(String value, int from, int digits) {
        int result = 0;
        for (int i = from; i < from + digits; i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Dotted-quad IPv4, each part 0..255 without leading zeros. */
    private static boolean isIpv4(String value) {
        int parts = 0;
        int i = 0;
        int n = value.length();
        while (i <= n) {
            int start = i;
            int part = 0;
            while (i < n && isDigit(value.charAt(i))) {
                part = part * 10 + (value.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits < 1 || digits > 3 || digits > 1 && value.charAt(start) == '0' || part > 255) {
                return false;
            }
            parts++;
            if (i == n) {
                break;
            }
            if (value.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
        return parts == 4;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
