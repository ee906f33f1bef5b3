package dev.pipedesk.sync;

import java.time.Instant;

/**
 * A row of {@code calendar_watch_channels}: a push channel PipeDesk opened on a calendar.
 *
 * @param id                the channel id PipeDesk chose (Google echoes it in {@code X-Goog-Channel-ID})
 * @param calendarId        the canonical calendar id
 * @param resourceId        Google's {@code resourceId} (echoed in {@code X-Goog-Resource-ID})
 * @param tokenSha256       SHA-256 (hex) of the channel's secret token; the token itself is never stored
 * @param address           the webhook URL the channel posts to
 * @param expiresAt         the expiry Google answered
 * @param stopped           whether PipeDesk stopped (or replaced) it
 * @param replacedBy        the channel that took over at renewal, or null
 * @param lastMessageNumber the highest {@code X-Goog-Message-Number} accepted, or null
 * @param createdAt         when it was opened
 * @param stoppedAt         when it was stopped, or null
 */
public record WatchChannel(String id, String calendarId, String resourceId, String tokenSha256, String address,
                           Instant expiresAt, boolean stopped, String replacedBy, Long lastMessageNumber,
                           Instant createdAt, Instant stoppedAt) {

    /** The channel's state at {@code now}. */
    public ChannelState stateAt(Instant now) {
        if (stopped) {
            return ChannelState.STOPPED;
        }
        return expiresAt.isAfter(now) ? ChannelState.ACTIVE : ChannelState.EXPIRED;
    }

    /** Never prints the token hash. */
    @Override
    public String toString() {
        return "WatchChannel[id=" + id + ", calendarId=" + calendarId + ", resourceId=" + resourceId
                + ", expiresAt=" + expiresAt + ", stopped=" + stopped + ", replacedBy=" + replacedBy + "]";
    }
}
