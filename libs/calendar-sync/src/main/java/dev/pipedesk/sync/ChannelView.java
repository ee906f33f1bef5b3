package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A watch channel as the API shows it (admin only). Never its token or the token's hash.
 *
 * @param id                the channel id
 * @param calendarId        the canonical id of the watched calendar
 * @param resourceId        Google's id of the watched collection
 * @param expiresAt         the expiry Google answered
 * @param state             active, stopped or expired (at the time of the answer)
 * @param lastMessageNumber the highest notification number accepted on it, or null
 * @param createdAt         when it was opened
 * @param stoppedAt         when PipeDesk stopped it, or null
 * @param replacedBy        the channel that took over from it, or null
 */
public record ChannelView(@JsonProperty("id") String id,
                          @JsonProperty("calendar_id") String calendarId,
                          @JsonProperty("resource_id") String resourceId,
                          @JsonProperty("expires_at") Instant expiresAt,
                          @JsonProperty("state") ChannelState state,
                          @JsonProperty("last_message_number") Long lastMessageNumber,
                          @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("stopped_at") Instant stoppedAt,
                          @JsonProperty("replaced_by") String replacedBy) {

    public static ChannelView of(WatchChannel channel, Instant now) {
        return new ChannelView(channel.id(), channel.calendarId(), channel.resourceId(), channel.expiresAt(),
                channel.stateAt(now), channel.lastMessageNumber(), channel.createdAt(), channel.stoppedAt(),
                channel.replacedBy());
    }
}
