package dev.pipedesk.core;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

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

    /** How deeply the parser lets arrays and objects nest; a body nested deeper is refused. */
    public static int maxNestingDepth() {
        return MAPPER.tokenStreamFactory().streamReadConstraints().getMaxNestingDepth();
    }

    /**
     * Parses a request body. Empty or malformed JSON is the client's fault: a 400, never a 500.
     * A body beyond one of the parser's limits (nesting depth, number or string length) is a 400
     * that names the limits, not a "not valid JSON".
     */
    public static JsonNode parseBody(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        try {
            return MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            // Jackson names the limit only in its message, which is not shown to the client.
            boolean nesting = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth");
            throw ApiException.badRequest(nesting
                    ? "The request body is nested deeper than " + maxNestingDepth() + " levels, the JSON parser's limit."
                    : "The request body exceeds a limit of the JSON parser (a number or a string is too long).");
        } catch (JacksonException e) {
            throw ApiException.badRequest("The request body is not valid JSON.");
        }
    }
}
