package dev.pipedesk.core;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.core.JacksonException;

/** The one JSON mapper of PipeDesk (Jackson 3): ISO-8601 times, unknown fields ignored. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /**
     * Parses a request body. Empty or malformed JSON is the client's fault: a 400, never a 500.
     */
    public static JsonNode parseBody(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("The request body is not valid JSON.");
        }
    }
}
