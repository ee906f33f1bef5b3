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

    /**
     * Whether {@code event} is this draft inserted (by an earlier attempt of the same request whose
     * answer was lost): it carries the draft's {@link GoogleCalendar#REQUEST_MARKER}.
     */
    public boolean isStoredAs(GoogleEventSnapshot event) {
        String marker = privateProperties.get(GoogleCalendar.REQUEST_MARKER);
        return marker != null && marker.equals(event.privateProperties().get(GoogleCalendar.REQUEST_MARKER));
    }
}
