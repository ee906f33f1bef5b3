package dev.pipedesk.google;

import com.google.api.client.util.Data;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.ConferenceData;
import com.google.api.services.calendar.model.ConferenceSolutionKey;
import com.google.api.services.calendar.model.CreateConferenceRequest;
import com.google.api.services.calendar.model.EntryPoint;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventAttendee;
import com.google.api.services.calendar.model.EventDateTime;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Mapping between Google's Event model and PipeDesk's records. */
public final class GoogleEvents {
    private GoogleEvents() {
    }

    public static Event toGoogle(EventDraft draft) {
        Event event = new Event()
                .setId(draft.eventId())
                .setSummary(draft.summary())
                .setDescription(draft.description())
                .setStart(dateTime(draft.start()))
                .setEnd(dateTime(draft.end()))
                .setAttendees(attendees(draft.attendeeEmails()))
                .setExtendedProperties(new Event.ExtendedProperties().setPrivate(new HashMap<>(draft.privateProperties())));
        if (draft.wantsMeet()) {
            event.setConferenceData(new ConferenceData().setCreateRequest(new CreateConferenceRequest()
                    .setRequestId(draft.conferenceRequestId())
                    .setConferenceSolutionKey(new ConferenceSolutionKey().setType("hangoutsMeet"))));
        }
        return event;
    }

    /**
     * The body of an {@code events.patch}: only the changed fields; a cleared one as JSON null
     * ({@link Data#NULL_STRING} and friends), attendees as the whole new list.
     */
    public static Event toGoogle(EventPatch patch) {
        Event event = new Event();
        send(patch.summary(), Data.NULL_STRING, event::setSummary);
        send(patch.description(), Data.NULL_STRING, event::setDescription);
        send(patch.start().map(GoogleEvents::dateTime), Data.nullOf(EventDateTime.class), event::setStart);
        send(patch.end().map(GoogleEvents::dateTime), Data.nullOf(EventDateTime.class), event::setEnd);
        send(patch.attendeeEmails().map(GoogleEvents::attendees), List.of(), event::setAttendees);
        send(patch.privateProperties().map(p -> new Event.ExtendedProperties().setPrivate(new HashMap<>(p))),
                Data.nullOf(Event.ExtendedProperties.class), event::setExtendedProperties);
        return event;
    }

    private static <T> void send(FieldChange<T> change, T jsonNull, Consumer<T> field) {
        switch (change) {
            case FieldChange.Keep<T> keep -> { }
            case FieldChange.Clear<T> clear -> field.accept(jsonNull);
            case FieldChange.Set<T>(T value) -> field.accept(value);
        }
    }

    public static GoogleEventSnapshot snapshot(Event event) {
        Map<String, String> privateProperties = event.getExtendedProperties() == null
                || event.getExtendedProperties().getPrivate() == null
                ? Map.of() : Map.copyOf(event.getExtendedProperties().getPrivate());
        List<Attendee> attendees = event.getAttendees() == null ? List.of() : event.getAttendees().stream()
                .map(a -> new Attendee(a.getEmail(), a.getResponseStatus(), a.getDisplayName(),
                        Boolean.TRUE.equals(a.getOrganizer()), Boolean.TRUE.equals(a.getOptional())))
                .toList();
        return new GoogleEventSnapshot(
                event.getId(),
                event.getEtag(),
                EventStatus.parse(event.getStatus()).orElse(EventStatus.CONFIRMED),
                event.getSummary(),
                event.getDescription(),
                instant(event.getStart()),
                instant(event.getEnd()),
                meetLink(event),
                conferenceStatus(event),
                event.getHtmlLink(),
                event.getOrganizer() == null ? null : event.getOrganizer().getEmail(),
                attendees,
                privateProperties,
                event.getUpdated() == null ? null : Instant.ofEpochMilli(event.getUpdated().getValue()),
                event.getVisibility());
    }

    public static ConferenceStatus conferenceStatus(Event event) {
        ConferenceData data = event.getConferenceData();
        if (data == null) {
            return event.getHangoutLink() != null ? ConferenceStatus.SUCCESS : ConferenceStatus.NONE;
        }
        if (data.getCreateRequest() != null && data.getCreateRequest().getStatus() != null) {
            return ConferenceStatus.parse(data.getCreateRequest().getStatus().getStatusCode()).orElse(ConferenceStatus.PENDING);
        }
        return data.getEntryPoints() != null && !data.getEntryPoints().isEmpty()
                ? ConferenceStatus.SUCCESS : ConferenceStatus.NONE;
    }

    static String meetLink(Event event) {
        ConferenceData data = event.getConferenceData();
        if (data != null && data.getEntryPoints() != null) {
            for (EntryPoint entryPoint : data.getEntryPoints()) {
                if ("video".equals(entryPoint.getEntryPointType())) {
                    return entryPoint.getUri();
                }
            }
        }
        return event.getHangoutLink();
    }

    private static List<EventAttendee> attendees(List<String> emails) {
        return emails.stream().map(e -> new EventAttendee().setEmail(e)).toList();
    }

    private static EventDateTime dateTime(Instant instant) {
        return new EventDateTime().setDateTime(new DateTime(instant.toEpochMilli())).setTimeZone("UTC");
    }

    private static Instant instant(EventDateTime value) {
        if (value == null) {
            return null;
        }
        if (value.getDateTime() != null) {
            return Instant.ofEpochMilli(value.getDateTime().getValue());
        }
        if (value.getDate() != null) {
            return LocalDate.parse(value.getDate().toStringRfc3339().substring(0, 10)).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return null;
    }
}
