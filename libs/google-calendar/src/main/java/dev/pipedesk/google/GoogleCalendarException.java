package dev.pipedesk.google;

import java.time.Duration;

/** What can go wrong when talking to Google Calendar, as a closed set callers must handle. */
public sealed class GoogleCalendarException extends RuntimeException {
    private final int status;
    private final String reason;
    private final boolean mayHaveBeenApplied;

    private GoogleCalendarException(int status, String reason, String message, Throwable cause,
                                    boolean mayHaveBeenApplied) {
        super(message, cause);
        this.status = status;
        this.reason = reason;
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    /** HTTP status from Google, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** Google's error reason (e.g. {@code duplicate}, {@code conditionNotMet}), or null. */
    public String reason() {
        return reason;
    }

    /**
     * Whether Google may have carried the request out even so: an attempt got no answer (the
     * connection dropped, or the read timed out, after Google may have committed) or a 5xx.
     * Only a re-read tells; "nothing was changed" may not be claimed without one.
     */
    public boolean mayHaveBeenApplied() {
        return mayHaveBeenApplied;
    }

    /** 404: the event (or calendar) does not exist or is not visible to us. */
    public static final class NotFound extends GoogleCalendarException {
        public NotFound(String reason, String message, Throwable cause) {
            super(404, reason, message, cause, false);
        }
    }

    /** 410: the event was already deleted. */
    public static final class Gone extends GoogleCalendarException {
        public Gone(String reason, String message, Throwable cause) {
            super(410, reason, message, cause, false);
        }
    }

    /** 409 duplicate: an event with the client-chosen id exists already. */
    public static final class Duplicate extends GoogleCalendarException {
        public Duplicate(String reason, String message, Throwable cause) {
            super(409, reason, message, cause, false);
        }
    }

    /** 412: the event changed since the etag we sent in If-Match. */
    public static final class PreconditionFailed extends GoogleCalendarException {
        public PreconditionFailed(String reason, String message, Throwable cause) {
            super(412, reason, message, cause, false);
        }
    }

    /** Transient trouble (5xx, network, no time left) that outlasted the retry budget. */
    public static final class Unavailable extends GoogleCalendarException {
        /** Google may have applied the request when there was no answer (status 0) or a 5xx. */
        public Unavailable(int status, String reason, String message, Throwable cause) {
            this(status, reason, message, cause, status == 0 || status >= 500);
        }

        public Unavailable(int status, String reason, String message, Throwable cause, boolean mayHaveBeenApplied) {
            super(status, reason, message, cause, mayHaveBeenApplied);
        }
    }

    /**
     * Google rate-limits us (429, or 403 {@code rateLimitExceeded} / {@code userRateLimitExceeded}
     * / {@code quotaExceeded}) beyond what the retry budget could wait out.
     */
    public static final class RateLimited extends GoogleCalendarException {
        private final Duration retryAfter;

        public RateLimited(int status, String reason, Duration retryAfter, String message, Throwable cause,
                           boolean mayHaveBeenApplied) {
            super(status, reason, message, cause, mayHaveBeenApplied);
            this.retryAfter = retryAfter;
        }

        /** How long to wait before trying again: Google's {@code Retry-After}, or PipeDesk's default for the reason. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Google refused the request for good (400, 401 after a token refresh, 403 other than rate limits, ...). */
    public static final class Rejected extends GoogleCalendarException {
        public Rejected(int status, String reason, String message, Throwable cause) {
            this(status, reason, message, cause, false);
        }

        /** @param mayHaveBeenApplied an earlier attempt of the same call got no answer */
        public Rejected(int status, String reason, String message, Throwable cause, boolean mayHaveBeenApplied) {
            super(status, reason, message, cause, mayHaveBeenApplied);
        }
    }
}
