package dev.pipedesk.google;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A new Google event as PipeDesk creates it: a client-chosen id, optional Meet request and the
 * CRM link in {@code extendedProperties.private}.
 */
public record EventDraft(
        String eventId,
        String summary,
        String description,
        Instant start,
        Instant end,
        List<String> attendeeEmails,
        String conferenceRequestId,
        Map<String, String> privateProperties) {

    public EventDraft {
        attendeeEmails = List.copyOf(attendeeEmails);
        privateProperties = Map.copyOf(privateProperties);
    }

    public boolean wantsMeet() {
        return conferenceRequestId != null;
    }
}
