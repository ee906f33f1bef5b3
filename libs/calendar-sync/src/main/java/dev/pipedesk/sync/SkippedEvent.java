package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A Google event the sync could not mirror; it never blocks the calendar's sync token.
 *
 * @param googleEventId the event's Google id
 * @param reason        why it was skipped
 * @param at            when
 */
public record SkippedEvent(@JsonProperty("google_event_id") String googleEventId,
                           @JsonProperty("reason") String reason,
                           @JsonProperty("at") Instant at) {
}
