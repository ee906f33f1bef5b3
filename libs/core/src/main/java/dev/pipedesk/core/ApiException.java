package dev.pipedesk.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure meant for the client: it carries the error code, a human message and details.
 * Handlers render it as {@code {"error":{"code","message","details"}}}; nothing else of an
 * exception ever reaches a client.
 */
public final class ApiException extends RuntimeException {
    /** The most characters of a client's value a message repeats (an id we issue is at most 36). */
    public static final int EXCERPT_LENGTH = 40;

    private final ErrorCode errorCode;
    private final Object details;
    private final Duration retryAfter;

    public ApiException(ErrorCode errorCode, String message, Object details) {
        this(errorCode, message, details, null);
    }

    /** @param retryAfter how long the client should wait before trying again (sent as {@code Retry-After}), or null */
    public ApiException(ErrorCode errorCode, String message, Object details, Duration retryAfter) {
        super(message);
        this.errorCode = Objects.requireNonNull(errorCode);
        this.details = details;
        this.retryAfter = retryAfter;
    }

    public ApiException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** A JSON-serialisable value (list, map, record) or null. */
    public Object details() {
        return details;
    }

    /** How long the client should wait before trying again, when the error says so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }

    public static ApiException validation(List<FieldError> errors) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, "The request has invalid fields.", List.copyOf(errors));
    }

    public static ApiException validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    /** 404 "No {@code what} with id …", repeating only an {@linkplain #excerpt excerpt} of the id asked for. */
    public static ApiException notFound(String what, String requestedId) {
        return notFound("No " + what + " with id " + excerpt(requestedId));
    }

    /**
     * A value the client sent, as a message may repeat it: at most its first
     * {@value #EXCERPT_LENGTH} characters (then "…"), control characters and unpaired surrogates
     * replaced by U+FFFD.
     */
    public static String excerpt(String clientValue) {
        if (clientValue == null) {
            return "";
        }
        StringBuilder excerpt = new StringBuilder();
        int index = 0;
        for (int shown = 0; index < clientValue.length() && shown < EXCERPT_LENGTH; shown++) {
            int codePoint = clientValue.codePointAt(index);
            boolean unprintable = Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE;
            excerpt.appendCodePoint(unprintable ? 0xFFFD : codePoint);
            index += Character.charCount(codePoint);
        }
        return index < clientValue.length() ? excerpt.append('…').toString() : excerpt.toString();
    }

    public static ApiException conflict(String message, Object details) {
        return new ApiException(ErrorCode.CONFLICT, message, details);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }
}
