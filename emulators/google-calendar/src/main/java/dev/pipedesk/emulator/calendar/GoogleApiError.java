package dev.pipedesk.emulator.calendar;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pipedesk.core.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * An error answered in Google's JSON error shape:
 * {@code {"error":{"errors":[{domain,reason,message,locationType?,location?}],"code":N,"message":"…"}}}.
 * The catalogue follows docs/google-calendar.md (Errors).
 */
final class GoogleApiError extends RuntimeException {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(String domain, String reason, String message, String locationType, String location) {
    }

    private static final Map<String, String> DEFAULT_MESSAGES = Map.ofEntries(
            Map.entry("backendError", "Backend Error"),
            Map.entry("rateLimitExceeded", "Rate Limit Exceeded"),
            Map.entry("userRateLimitExceeded", "User Rate Limit Exceeded"),
            Map.entry("quotaExceeded", "Calendar usage limits exceeded."),
            Map.entry("notFound", "Not Found"),
            Map.entry("forbidden", "Forbidden"),
            Map.entry("authError", "Invalid Credentials"),
            Map.entry("conflict", "Conflict"),
            Map.entry("duplicate", "The requested identifier already exists."),
            Map.entry("deleted", "Resource has been deleted"),
            Map.entry("conditionNotMet", "Precondition Failed"),
            Map.entry("fullSyncRequired", "Sync token is no longer valid, a full sync is required."),
            Map.entry("internalError", "Internal Error"),
            Map.entry("badGateway", "Bad Gateway"),
            Map.entry("gatewayTimeout", "Gateway Timeout"),
            Map.entry("serviceUnavailable", "Service Unavailable"));

    private final int status;
    private final Item item;

    private GoogleApiError(int status, Item item) {
        super(item.message());
        this.status = status;
        this.item = item;
    }

    static GoogleApiError of(int status, String domain, String reason, String message) {
        return new GoogleApiError(status, new Item(domain, reason, message, null, null));
    }

    GoogleApiError at(String locationType, String location) {
        return new GoogleApiError(status, new Item(item.domain(), item.reason(), item.message(), locationType, location));
    }

    GoogleApiError atParameter(String parameter) {
        return at("parameter", parameter);
    }

    int status() {
        return status;
    }

    String reason() {
        return item.reason();
    }

    ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        ArrayNode errors = error.putArray("errors");
        errors.add(Json.MAPPER.<ObjectNode>valueToTree(item));
        error.put("code", status);
        error.put("message", item.message());
        return root;
    }

    /** An error injected by a test: the domain follows from the reason. */
    static GoogleApiError injected(int status, String reason, String message) {
        String effectiveReason = reason == null || reason.isBlank() ? defaultReason(status) : reason;
        String domain = switch (effectiveReason) {
            case "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded" -> "usageLimits";
            case "fullSyncRequired", "timeRangeEmpty", "forbiddenForServiceAccounts", "forbiddenForNonOrganizer",
                 "updatedMinTooLongAgo" -> "calendar";
            default -> "global";
        };
        String effectiveMessage = message == null || message.isBlank()
                ? DEFAULT_MESSAGES.getOrDefault(effectiveReason, effectiveReason)
                : message;
        return of(status, domain, effectiveReason, effectiveMessage);
    }

    private static String defaultReason(int status) {
        return switch (status) {
            case 401 -> "authError";
            case 403 -> "forbidden";
            case 404 -> "notFound";
            case 409 -> "conflict";
            case 410 -> "deleted";
            case 412 -> "conditionNotMet";
            case 429 -> "rateLimitExceeded";
            case 502 -> "badGateway";
            case 504 -> "gatewayTimeout";
            case 503 -> "backendError";
            default -> status >= 500 ? "backendError" : "invalid";
        };
    }

    // --- the catalogue ------------------------------------------------------------------------

    static GoogleApiError notFound() {
        return of(404, "global", "notFound", "Not Found");
    }

    static GoogleApiError invalid(String message) {
        return of(400, "global", "invalid", message);
    }

    static GoogleApiError invalidParameter(String parameter, String message) {
        return invalid(message).atParameter(parameter);
    }

    static GoogleApiError required(String message) {
        return of(400, "global", "required", message);
    }

    static GoogleApiError parseError() {
        return of(400, "global", "parseError", "Parse Error");
    }

    static GoogleApiError invalidResourceId() {
        return invalid("Invalid resource id value.");
    }

    static GoogleApiError invalidConferenceType() {
        return invalid("Invalid conference type value.");
    }

    static GoogleApiError timeRangeEmpty() {
        return of(400, "calendar", "timeRangeEmpty", "The specified time range is empty.").atParameter("timeMax");
    }

    static GoogleApiError duplicate() {
        return of(409, "global", "duplicate", "The requested identifier already exists.");
    }

    static GoogleApiError deleted() {
        return of(410, "global", "deleted", "Resource has been deleted");
    }

    static GoogleApiError conditionNotMet() {
        return of(412, "global", "conditionNotMet", "Precondition Failed").at("header", "If-Match");
    }

    static GoogleApiError fullSyncRequired() {
        return of(410, "calendar", "fullSyncRequired", "Sync token is no longer valid, a full sync is required.")
                .atParameter("syncToken");
    }

    static GoogleApiError forbidden() {
        return of(403, "global", "forbidden", "Forbidden");
    }

    static GoogleApiError forbiddenForServiceAccounts() {
        return of(403, "calendar", "forbiddenForServiceAccounts",
                "Service accounts cannot invite attendees without Domain-Wide Delegation of Authority.");
    }

    static GoogleApiError authError() {
        return of(401, "global", "authError", "Invalid Credentials").at("header", "Authorization");
    }

    static GoogleApiError loginRequired() {
        return of(401, "global", "required", "Login Required.").at("header", "Authorization");
    }

    static GoogleApiError invalidSequence() {
        return invalid("Invalid sequence value. The specified sequence number is below the current sequence number"
                + " of the resource. Re-fetch the resource and use its sequence number on the following request.");
    }

    static GoogleApiError channelIdNotUnique() {
        return of(400, "global", "channelIdNotUnique", "Channel id not unique");
    }

    static GoogleApiError pushInvalidTtl(long ttlSeconds) {
        return of(400, "global", "pushInvalidTtl", "Invalid ttl value for channel " + ttlSeconds);
    }

    static GoogleApiError webhookUrlNotHttps(String address) {
        return of(400, "push", "push.webhookUrlNotHttps", "WebHook callback must be HTTPS: " + address);
    }

    static GoogleApiError pushNotSupported() {
        return of(400, "global", "pushNotSupportedForRequestedResource",
                "Push notifications are not supported by this resource.");
    }

    static GoogleApiError channelNotFound(String channelId) {
        return of(404, "global", "notFound", "Channel '" + channelId + "' not found for project '"
                + ServiceAccountKeys.PROJECT_NUMBER + "'");
    }

    static GoogleApiError methodNotAllowed() {
        return of(405, "global", "httpMethodNotAllowed", "Method not allowed");
    }
}
