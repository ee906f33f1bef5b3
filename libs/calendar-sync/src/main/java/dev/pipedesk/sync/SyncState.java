package dev.pipedesk.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A synced calendar's row of {@code calendar_sync_state}.
 *
 * @param calendarId         the canonical calendar id
 * @param status             syncing, poll_only or failed
 * @param failureReason      why the calendar is poll_only or failed, else null
 * @param syncToken          the token of the last completed walk; null before the first full sync
 * @param syncTokenAt        when that token was stored
 * @param lastFullSyncAt     when the last full listing completed
 * @param lastSyncAt         when the last sync (of either kind) completed
 * @param lastNotificationAt when the last accepted push notification arrived
 * @param fullSyncsInARow    full resyncs forced by 410 since the last clean incremental sync
 * @param skippedEvents      events the last walks could not mirror, with the reason
 */
public record SyncState(String calendarId, SyncStatus status, String failureReason, String syncToken,
                        Instant syncTokenAt, Instant lastFullSyncAt, Instant lastSyncAt, Instant lastNotificationAt,
                        int fullSyncsInARow, List<SkippedEvent> skippedEvents) {

    public SyncState {
        skippedEvents = skippedEvents == null ? List.of() : List.copyOf(skippedEvents);
    }

    /** Age of the sync token at {@code now}, or null when there is none. */
    public Duration syncTokenAge(Instant now) {
        return syncTokenAt == null ? null : Duration.between(syncTokenAt, now);
    }

    /** The later of the last sync and the last notification: when the calendar last showed signs of life. */
    public Instant lastActivity() {
        if (lastSyncAt == null) {
            return lastNotificationAt;
        }
        return lastNotificationAt == null || lastSyncAt.isAfter(lastNotificationAt) ? lastSyncAt : lastNotificationAt;
    }
}
