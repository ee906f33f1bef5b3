package dev.pipedesk.core;

/** The closed set of error codes a client can see, each with its HTTP status. */
public enum ErrorCode {
    BAD_REQUEST(400, "bad_request"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    CONFLICT(409, "conflict"),
    PRECONDITION_FAILED(412, "precondition_failed"),
    /** The request body is larger than Lambda's 6 MB payload limit (the gateway answers it; no function runs). */
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    VALIDATION_FAILED(422, "validation_failed"),
    RATE_LIMITED(429, "rate_limited"),
    INTERNAL(500, "internal_error"),
    NOT_IMPLEMENTED(501, "not_implemented"),
    UPSTREAM_FAILED(502, "upstream_failed"),
    /** An upstream service (Google Calendar) rate-limits us: answered with {@code Retry-After}. */
    UPSTREAM_RATE_LIMITED(503, "upstream_rate_limited"),
    /**
     * PipeDesk itself cannot take the request right now (its database or a queue failed): try
     * again. The Google webhook answers it so that Google retries the notification.
     */
    SERVICE_UNAVAILABLE(503, "service_unavailable"),
    UPSTREAM_TIMEOUT(504, "upstream_timeout");

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The wire value, e.g. {@code validation_failed}. */
    public String code() {
        return code;
    }
}
