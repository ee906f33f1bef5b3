package dev.pipedesk.core;

/** One problem with one input field; the {@code details} entries of a 422. */
public record FieldError(String field, String message) {
}
