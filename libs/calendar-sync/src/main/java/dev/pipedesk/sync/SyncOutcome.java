package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one sync of a calendar did.
 *
 * @param calendarId the calendar
 * @param kind       incremental (from the stored token) or full (no token, or after a 410)
 * @param pages      pages read
 * @param created    rows created (events made in Google, or PipeDesk's own found before their mirror row)
 * @param updated    rows changed
 * @param cancelled  rows cancelled
 * @param unchanged  changes that were echoes of PipeDesk's own writes (or carried nothing new)
 * @param skipped    events that could not be mirrored (see the calendar's skipped events)
 * @param result     how it ended
 * @param detail     why it failed or was skipped, else null
 */
public record SyncOutcome(
        @JsonProperty("calendar_id") String calendarId,
        @JsonProperty("kind") Kind kind,
        @JsonProperty("pages") int pages,
        @JsonProperty("created") int created,
        @JsonProperty("updated") int updated,
        @JsonProperty("cancelled") int cancelled,
        @JsonProperty("unchanged") int unchanged,
        @JsonProperty("skipped") int skipped,
        @JsonProperty("result") Result result,
        @JsonProperty("detail") String detail) {

    public enum Kind {
        @JsonProperty("incremental") INCREMENTAL,
        @JsonProperty("full") FULL
    }

    public enum Result {
        /** The walk completed and its sync token is stored. */
        @JsonProperty("synced") SYNCED,
        /** The calendar is failed (or not a synced calendar) and was not synced. */
        @JsonProperty("not_synced") NOT_SYNCED,
        /** A transient failure (Google unavailable, rate limited, database): retry later; the stored token is unchanged. */
        @JsonProperty("retry") RETRY,
        /** A permanent failure: the calendar is now marked failed with the reason. */
        @JsonProperty("failed") FAILED
    }

    /** Whether the request that asked for this sync should be retried (its message returned to the queue). */
    public boolean shouldRetry() {
        return result == Result.RETRY;
    }
}
