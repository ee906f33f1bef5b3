package dev.pipedesk.lambda;

/**
 * What an HTTP API authorizer decides on, without the AWS event around it.
 *
 * @param routeKey            the route asked for, e.g. {@code GET /api/calendar/events}
 * @param authorizationHeader the {@code Authorization} header, or null when there is none
 * @param requestId           API Gateway's request id, for the logs
 */
public record AuthorizationRequest(String routeKey, String authorizationHeader, String requestId) {
}
