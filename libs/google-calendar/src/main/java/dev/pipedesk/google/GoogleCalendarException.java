package dev.pipedesk.google;

/** What can go wrong when talking to Google Calendar, as a closed set callers must handle. */
public sealed class GoogleCalendarException extends RuntimeException {
    private final int status;
    private final String reason;

    private GoogleCalendarException(int status, String reason, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.reason = reason;
    }

    /** HTTP status from Google, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** Google's error reason (e.g. {@code duplicate}, {@code conditionNotMet}), or null. */
    public String reason() {
        return reason;
    }

    /** 404: the event (or calendar) does not exist or is not visible to us. */
    public static final class NotFound extends GoogleCalendarException {
        public NotFound(String reason, String message, Throwable cause) {
            super(404, reason, message, cause);
        }
    }

    /** 410: the event was already deleted. */
    public static final class Gone extends GoogleCalendarException {
        public Gone(String reason, String message, Throwable cause) {
            super(410, reason, message, cause);
        }
    }

    /** 409 duplicate: an event with the client-chosen id exists already. */
    public static final class Duplicate extends GoogleCalendarException {
        public Duplicate(String reason, String message, Throwable cause) {
            super(409, reason, message, cause);
        }
    }

    /** 412: the event changed since the etag we sent in If-Match. */
    public static final class PreconditionFailed extends GoogleCalendarException {
        public PreconditionFailed(String reason, String message, Throwable cause) {
            super(412, reason, message, cause);
        }
    }

    /** Transient trouble (5xx, rate limits, network) that outlasted the retry budget. */
    public static final class Unavailable extends GoogleCalendarException {
        public Unavailable(int status, String reason, String message, Throwable cause) {
            super(status, reason, message, cause);
        }
    }

    /** Google refused the request for good (400, 401, 403 other than rate limits, ...). */
    public static final class Rejected extends GoogleCalendarException {
        public Rejected(int status, String reason, String message, Throwable cause) {
            super(status, reason, message, cause);
        }
    }
}
