package dev.pipedesk.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.util.RawValue;

/**
 * A JSON value kept as its text — as the database gives a {@code jsonb} column — and parsed only
 * when it is first read as a tree: written back as that text, it is never parsed at all. For the
 * audit snapshots ({@code before}/{@code after}), which the audit-log API passes through and the
 * timeline reads for a few entries' summaries only.
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

    /** The value of a JSON text, or null for null (SQL NULL). */
    public static JsonText of(String json) {
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
