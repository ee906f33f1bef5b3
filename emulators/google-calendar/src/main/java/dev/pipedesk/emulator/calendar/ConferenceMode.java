package dev.pipedesk.emulator.calendar;

import java.util.Locale;

/**
 * How the emulator answers a Meet {@code conferenceData.createRequest}: Google creates
 * conferences asynchronously, so a request may succeed at once, stay {@code pending} for a while,
 * or fail.
 */
public sealed interface ConferenceMode {

    /** The conference is created at once: {@code hangoutLink} and entry points are filled in. */
    record Success() implements ConferenceMode {
    }

    /**
     * The write answers {@code statusCode:"pending"}; the next {@code getReads} {@code events.get}
     * calls still see it pending, then the conference turns to {@code success} (a change: new etag,
     * new {@code updated}, a push notification).
     */
    record Pending(int getReads) implements ConferenceMode {
        public Pending {
            if (getReads < 0) {
                throw new IllegalArgumentException("getReads must be >= 0, got " + getReads);
            }
        }
    }

    /** {@code statusCode:"failure"}: no entry points, no conference solution, no hangoutLink. */
    record Failure() implements ConferenceMode {
    }

    static ConferenceMode success() {
        return new Success();
    }

    static ConferenceMode pending(int getReads) {
        return new Pending(getReads);
    }

    static ConferenceMode failure() {
        return new Failure();
    }

    /** The wire name: {@code success}, {@code pending} or {@code failure}. */
    default String name() {
        return switch (this) {
            case Success s -> "success";
            case Pending p -> "pending";
            case Failure f -> "failure";
        };
    }

    /** Parses a wire name; {@code pendingReads} only matters for {@code pending}. */
    static ConferenceMode parse(String name, int pendingReads) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "success" -> success();
            case "pending" -> pending(pendingReads);
            case "failure" -> failure();
            default -> throw new IllegalArgumentException(
                    "Unknown conference mode '" + name + "': use success, pending or failure");
        };
    }
}
