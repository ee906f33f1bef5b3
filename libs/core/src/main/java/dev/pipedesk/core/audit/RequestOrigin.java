package dev.pipedesk.core.audit;

/** Where a change came from, for the audit log: the API request's id, client IP and user agent. */
public record RequestOrigin(String requestId, String ip, String userAgent) {
}
