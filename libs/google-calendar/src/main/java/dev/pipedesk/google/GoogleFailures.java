package dev.pipedesk.google;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link GoogleCalendarException} as the API client sees it: the one mapping every API route
 * that calls Google uses (meetings, watch channels). A rate limit is 503 {@code upstream_rate_limited}
 * with {@code Retry-After}; anything else 502 {@code upstream_failed}. The details name Google's
 * status and reason ({@code google_status}, {@code google_reason}), never more of its answer.
 */
public final class GoogleFailures {
    private GoogleFailures() {
    }

    /**
     * A Google failure after which nothing was changed (or a re-read showed that nothing was).
     *
     * @param action what could not be done, completing "could not …", e.g. {@code create the event}
     */
    public static ApiException nothingChanged(String action, GoogleCalendarException e) {
        return switch (e) {
            case GoogleCalendarException.RateLimited limited -> new ApiException(ErrorCode.UPSTREAM_RATE_LIMITED,
                    "Google Calendar is limiting how fast we may call it; could not " + action
                            + ". Nothing was changed; try again after the Retry-After time.",
                    details(e), limited.retryAfter());
            case GoogleCalendarException.Unavailable unavailable -> new ApiException(ErrorCode.UPSTREAM_FAILED,
                    "Google Calendar is unavailable; could not " + action + ". Nothing was changed; try again.",
                    details(e));
            default -> new ApiException(ErrorCode.UPSTREAM_FAILED,
                    "Google Calendar refused to " + action + ". Nothing was changed.", details(e));
        };
    }

    /** Google's answer to a write was lost and it could not be read back: the write may or may not have landed. */
    public static ApiException outcomeUnknown(String action, GoogleCalendarException e) {
        return new ApiException(ErrorCode.UPSTREAM_FAILED, "Google Calendar did not answer; could not " + action
                + " for certain. It may have taken effect in Google Calendar: check before trying again.",
                details(e));
    }

    /** {@code google_status} and {@code google_reason} of the failure. */
    public static Map<String, Object> details(GoogleCalendarException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("google_status", e.status());
        details.put("google_reason", e.reason());
        return details;
    }
}
