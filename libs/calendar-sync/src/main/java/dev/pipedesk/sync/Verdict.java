package dev.pipedesk.sync;

/**
 * What {@link NotificationGate} made of a push notification. The webhook answers 2xx for
 * {@link Ignored}, {@link Acknowledged} and {@link Enqueued}; 400 for {@link Malformed}, 401 for
 * {@link Unauthenticated}, 403 for {@link Forbidden} (Google does not retry those), and 503 for
 * {@link RetryLater} (Google retries 5xx). The reasons are for logs and tests, never for the
 * caller, and never hold the token.
 */
public sealed interface Verdict {

    /** Whether the notification was accepted (answered 2xx). */
    default boolean accepted() {
        return this instanceof Ignored || this instanceof Acknowledged || this instanceof Enqueued;
    }

    /** Unknown, stopped, replaced or expired channel: answered 2xx, nothing else done. */
    record Ignored(String reason) implements Verdict {
    }

    /**
     * A channel's {@code sync} message (its first): answered 2xx.
     *
     * @param firstSync the first sync requested because the calendar has no sync token yet, or null
     */
    record Acknowledged(SyncRequest firstSync) implements Verdict {
    }

    /** A change notification: a sync of the calendar is on the sync queue. */
    record Enqueued(SyncRequest request) implements Verdict {
    }

    /** A channel id or message number missing or not well-formed. */
    record Malformed(String reason) implements Verdict {
    }

    /** A known channel, but no token. */
    record Unauthenticated(String reason) implements Verdict {
    }

    /** A known channel with the wrong token or resource id. */
    record Forbidden(String reason) implements Verdict {
    }

    /** Our database or the sync queue failed: Google should send the notification again. */
    record RetryLater(String reason) implements Verdict {
    }
}
