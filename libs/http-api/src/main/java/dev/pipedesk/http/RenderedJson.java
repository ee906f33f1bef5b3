package dev.pipedesk.http;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import java.util.Objects;
import tools.jackson.databind.util.RawValue;

/**
 * A response body already written as JSON, with the value it was written from: a route that needs
 * the body's text (to hash it into an {@code ETag}) writes it once, and rendering the response
 * copies that text instead of writing the value again.
 *
 * @param value the value the JSON was written from (for in-process callers and tests)
 * @param json  {@code value} as JSON ({@link Json#write})
 */
public record RenderedJson<T>(T value, String json) {

    public RenderedJson {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(json, "json");
    }

    /** {@code value} written as JSON once. */
    public static <T> RenderedJson<T> of(T value) {
        return new RenderedJson<>(value, Json.write(value));
    }

    /**
     * A strong entity tag of the JSON text: the first 128 bits of its SHA-256, so equal tags mean
     * equal bodies.
     */
    public EntityTag entityTag() {
        return EntityTag.strong(Hashes.sha256Hex(json).substring(0, 32));
    }

    /** Rendered as the JSON text itself, not as an object with {@code value} and {@code json}. */
    @JsonValue
    public RawValue raw() {
        return new RawValue(json);
    }
}
