package dev.pipedesk.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.util.RawValue;

/**
 * A JSON value kept as its text — as the database gives a {@code jsonb} column — and parsed only
 * as far as it is read: written back as that text, it is never parsed at all; one field of an
 * object ({@link #field}) is found by scanning the text up to it, skipping the values before it
 * unbuilt; the whole tree is built on the first {@link #tree()}. For the audit snapshots
 * ({@code before}/{@code after}) and changes, which the audit-log API and the timeline pass through
 * and the timeline's summaries read a field or two of (in {@code jsonb}'s own order, shorter keys
 * first: a meeting's {@code summary} is its third).
 *
 * <p>Equal when their text is equal. The text must be one JSON value (the database's {@code jsonb}
 * output always is); {@link #tree()} throws Jackson's exception when it is not.
 */
public final class JsonText {
    private final String json;
    private volatile JsonNode tree;

    private JsonText(String json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * The value of stored JSON text — what a {@code jsonb} column gives, always exactly one JSON value —
     * or null for null (SQL NULL). Never for text from a client: it is written into responses unchecked.
     */
    public static JsonText ofStored(String json) {
        return json == null ? null : new JsonText(json);
    }

    /** The text as given. */
    public String json() {
        return json;
    }

    /** The value as a tree, parsed on the first call. */
    public JsonNode tree() {
        JsonNode parsed = tree;
        if (parsed == null) {
            parsed = Json.MAPPER.readTree(json);
            tree = parsed;
        }
        return parsed;
    }

    /** Whether the value is a JSON object (read from its first character; nothing is parsed). */
    public boolean isObject() {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c == '{';
            }
        }
        return false;
    }

    /**
     * A field of the value when it is an object: its value as a tree, or null when the object lacks
     * it or the value is no object. The text is read up to that field only (the first of that name;
     * {@code jsonb} keeps one of each); once {@link #tree()} has been built, the field comes from it.
     */
    public JsonNode field(String name) {
        JsonNode parsed = tree;
        if (parsed != null) {
            return parsed.isObject() ? parsed.get(name) : null;
        }
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String field = parser.nextName(); field != null; field = parser.nextName()) {
                parser.nextToken();
                if (field.equals(name)) {
                    return parser.readValueAsTree();
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    /**
     * The names of the value's fields when it is an object, in its order; empty for anything else.
     * Read without building the values (or from the tree, once built).
     */
    public List<String> fieldNames() {
        JsonNode parsed = tree;
        if (parsed != null) {
            return parsed.isObject() ? List.copyOf(parsed.propertyNames()) : List.of();
        }
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (String field = parser.nextName(); field != null; field = parser.nextName()) {
                parser.nextToken();
                parser.skipChildren();
                names.add(field);
            }
            return names;
        }
    }

    /** Written as the text itself. */
    @JsonValue
    public RawValue raw() {
        return new RawValue(json);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonText text && json.equals(text.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
