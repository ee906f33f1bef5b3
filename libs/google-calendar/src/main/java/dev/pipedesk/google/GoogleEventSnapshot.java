package dev.pipedesk.google;

import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Google event reduced to what PipeDesk mirrors. A cancelled event read from a change list may
 * be a bare tombstone: only {@code id}, {@code etag} and {@code status}, the rest null or empty.
 *
 * @param visibility Google's {@code visibility} ({@code default}, {@code public}, {@code private},
 *                   {@code confidential}); null when Google sent none
 */
public record GoogleEventSnapshot(
        String id,
        String etag,
        EventStatus status,
        String summary,
        String description,
        Instant start,
        Instant end,
        String meetLink,
        ConferenceStatus conferenceStatus,
        String htmlLink,
        String organizerEmail,
        List<Attendee> attendees,
        Map<String, String> privateProperties,
        Instant updated,
        String visibility) {

    /** Private or confidential: the mirror keeps it as busy time only (no summary, description or attendees). */
    public boolean isPrivate() {
        return "private".equals(visibility) || "confidential".equals(visibility);
    }
}
