package dev.pipedesk.emulator.calendar;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change made to an event by another Google user directly in Google Calendar (not through our
 * API client). Null fields are left as they are. Applying it bumps etag and {@code updated},
 * bumps {@code sequence} when start, end or location change, and notifies the calendar's channels.
 *
 * @param actorEmail        who makes the change (recorded, not shown in the event)
 * @param summary           new title
 * @param description       new description
 * @param location          new location
 * @param start             new start ({@code start.dateTime}, in UTC)
 * @param end               new end ({@code end.dateTime}, in UTC)
 * @param status            new status: confirmed, tentative or cancelled (cancelled = deleted)
 * @param attendeeResponses attendee email to responseStatus (needsAction, declined, tentative,
 *                          accepted); an unknown email is added as an attendee
 */
public record ExternalEdit(
        String actorEmail,
        String summary,
        String description,
        String location,
        Instant start,
        Instant end,
        String status,
        Map<String, String> attendeeResponses) {

    public ExternalEdit {
        attendeeResponses = attendeeResponses == null ? Map.of() : Map.copyOf(attendeeResponses);
    }

    /** An edit by {@code actorEmail} that changes nothing yet; chain the {@code with…} methods. */
    public static ExternalEdit by(String actorEmail) {
        return new ExternalEdit(actorEmail, null, null, null, null, null, null, Map.of());
    }

    public ExternalEdit withSummary(String value) {
        return new ExternalEdit(actorEmail, value, description, location, start, end, status, attendeeResponses);
    }

    public ExternalEdit withDescription(String value) {
        return new ExternalEdit(actorEmail, summary, value, location, start, end, status, attendeeResponses);
    }

    public ExternalEdit withLocation(String value) {
        return new ExternalEdit(actorEmail, summary, description, value, start, end, status, attendeeResponses);
    }

    public ExternalEdit withTimes(Instant newStart, Instant newEnd) {
        return new ExternalEdit(actorEmail, summary, description, location, newStart, newEnd, status, attendeeResponses);
    }

    public ExternalEdit withStatus(String value) {
        return new ExternalEdit(actorEmail, summary, description, location, start, end, value, attendeeResponses);
    }

    public ExternalEdit withAttendeeResponse(String email, String responseStatus) {
        Map<String, String> responses = new LinkedHashMap<>(attendeeResponses);
        responses.put(email, responseStatus);
        return new ExternalEdit(actorEmail, summary, description, location, start, end, status, responses);
    }
}
