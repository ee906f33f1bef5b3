package dev.pipedesk.local.testing;

import dev.pipedesk.core.Json;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;

/**
 * What the local API answered: status, headers and body, with the body parsed as JSON on demand.
 * {@link #toString()} shows all three, so an AssertJ failure message tells the whole story.
 */
public record ApiResponse(int status, HttpHeaders headers, String body) {

    /** The body as a JSON tree ({@code MissingNode} when the body is empty). */
    public JsonNode json() {
        if (body == null || body.isBlank()) {
            return Json.MAPPER.missingNode();
        }
        return Json.MAPPER.readTree(body);
    }

    /** The value at a JSON pointer, e.g. {@code at("/error/code").asString()}. */
    public JsonNode at(String jsonPointer) {
        return json().at(jsonPointer);
    }

    /** The body mapped to a type (records, maps, lists). */
    public <T> T as(Class<T> type) {
        return Json.MAPPER.readValue(body, type);
    }

    /** {@code error.code} of an error answer, or empty. */
    public Optional<String> errorCode() {
        JsonNode code = at("/error/code");
        return code.isString() ? Optional.of(code.asString()) : Optional.empty();
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public List<String> headerValues(String name) {
        return headers.allValues(name);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + headers.map() + " " + body;
    }
}
