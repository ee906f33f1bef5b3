package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A message of the FIFO sync queue ({@code pipedesk-calendar-sync.fifo}): "sync this calendar".
 * Its group is the calendar (one sync of a calendar at a time); its de-duplication id is
 * {@link #deduplicationId()}.
 *
 * @param calendarId    the canonical calendar id
 * @param reason        why a sync is wanted
 * @param channelId     the channel a notification came on; null for other reasons
 * @param messageNumber the notification's {@code X-Goog-Message-Number}; null for other reasons
 * @param requestedAt   when the request was made
 */
public record SyncRequest(
        @JsonProperty("calendar_id") String calendarId,
        @JsonProperty("reason") Reason reason,
        @JsonProperty("channel_id") String channelId,
        @JsonProperty("message_number") Long messageNumber,
        @JsonProperty("requested_at") Instant requestedAt) {

    public SyncRequest {
        Objects.requireNonNull(calendarId, "calendarId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /** Why a sync was requested. */
    public enum Reason {
        /** A push notification ({@code exists}, {@code not_exists} or another state). */
        @JsonProperty("notification") NOTIFICATION,
        /** A channel's {@code sync} message for a calendar that has no sync token yet. */
        @JsonProperty("first_sync") FIRST_SYNC,
        /** The scheduled run: no notification and no sync for {@code SYNC_BACKSTOP_SECONDS}, or a poll-only calendar. */
        @JsonProperty("backstop") BACKSTOP
    }

    public static SyncRequest notification(String calendarId, String channelId, long messageNumber, Instant at) {
        return new SyncRequest(calendarId, Reason.NOTIFICATION, channelId, messageNumber, at);
    }

    /**
     * The FIFO de-duplication id: channel id + message number for a notification (a redelivered
     * or replayed notification is dropped by SQS within its 5-minute window); otherwise the
     * reason, the calendar and the minute, so a run repeated within a minute asks once.
     */
    public String deduplicationId() {
        String raw = channelId != null && messageNumber != null
                ? channelId + ":" + messageNumber
                : reason.name().toLowerCase(java.util.Locale.ROOT) + ":" + calendarId + ":" + requestedAt.getEpochSecond() / 60;
        // SQS allows at most 128 characters; longer ids are hashed.
        return raw.length() <= 128 ? raw : dev.pipedesk.core.Hashes.sha256Hex(raw);
    }
}
