package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What one renewal run did for one synced calendar (part of {@link RenewalReport}).
 *
 * @param calendarId         the canonical calendar id (the configured id when it could not be resolved)
 * @param channel            what happened to its channel
 * @param channelId          its live channel after the run, or null
 * @param expiresAt          that channel's expiry, or null
 * @param failureReason      why no channel could be opened (or why it is poll_only), else null
 * @param stoppedChannels    channels stopped in this run (renewed or orphaned; Google's 404 counts as stopped)
 * @param stopFailures       channels Google failed to stop ({@code id: reason}); they stay live and are tried again next run
 * @param syncRequested      the sync requested for it ({@code first_sync} or {@code backstop}), or null
 * @param syncRequestFailure why that request could not be sent, or null
 * @param state              its sync state after the run, or null when it could not be resolved
 */
public record CalendarRenewal(@JsonProperty("calendar_id") String calendarId,
                              @JsonProperty("channel") ChannelAction channel,
                              @JsonProperty("channel_id") String channelId,
                              @JsonProperty("expires_at") Instant expiresAt,
                              @JsonProperty("failure_reason") String failureReason,
                              @JsonProperty("stopped_channels") List<String> stoppedChannels,
                              @JsonProperty("stop_failures") List<String> stopFailures,
                              @JsonProperty("sync_requested") SyncRequest.Reason syncRequested,
                              @JsonProperty("sync_request_failure") String syncRequestFailure,
                              @JsonProperty("state") SyncStatus state) {

    public CalendarRenewal {
        stoppedChannels = List.copyOf(stoppedChannels);
        stopFailures = List.copyOf(stopFailures);
    }
}
