package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One calendar's sync state and its recent channels, as {@code GET /api/calendar/channels} shows it.
 *
 * @param calendarId          the canonical calendar id
 * @param configured          whether it is one of {@code GOOGLE_SYNC_CALENDARS} (false: it has a
 *                            sync-state row from before it was removed; it gets no new channel)
 * @param state               syncing, poll_only or failed
 * @param failureReason       why it is poll_only or failed, else null
 * @param lastSyncAt          when the last sync completed, or null
 * @param lastFullSyncAt      when the last full listing completed, or null
 * @param lastNotificationAt  when the last accepted notification arrived, or null
 * @param syncTokenAgeSeconds how old the stored sync token is, or null when there is none
 * @param skippedEvents       events the sync could not mirror, with the reason
 * @param channels            its most recent channels, live ones first
 */
public record CalendarSyncView(@JsonProperty("calendar_id") String calendarId,
                               @JsonProperty("configured") boolean configured,
                               @JsonProperty("state") SyncStatus state,
                               @JsonProperty("failure_reason") String failureReason,
                               @JsonProperty("last_sync_at") Instant lastSyncAt,
                               @JsonProperty("last_full_sync_at") Instant lastFullSyncAt,
                               @JsonProperty("last_notification_at") Instant lastNotificationAt,
                               @JsonProperty("sync_token_age_seconds") Long syncTokenAgeSeconds,
                               @JsonProperty("skipped_events") List<SkippedEvent> skippedEvents,
                               @JsonProperty("channels") List<ChannelView> channels) {

    public CalendarSyncView {
        skippedEvents = List.copyOf(skippedEvents);
        channels = List.copyOf(channels);
    }
}
