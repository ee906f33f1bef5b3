package dev.pipedesk.sync;

import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.core.calendar.MeetingAudit;
import dev.pipedesk.google.GoogleEventSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a Google event becomes a mirror row: Google's fields, with the CRM's own fields (link,
 * creator, idempotency data, id) kept from the existing row. Private and confidential events are
 * mirrored as busy time only; an event without a title gets {@value #NO_TITLE}.
 */
final class MeetingMirror {
    static final String BUSY = "Busy";
    static final String NO_TITLE = "(No title)";

    private MeetingMirror() {
    }

    /** Why a Google event cannot be mirrored, or empty when it can. */
    static Optional<String> unmirrorable(GoogleEventSnapshot event) {
        if (event.start() == null || event.end() == null) {
            return Optional.of("no start or end time");
        }
        if (!event.end().isAfter(event.start())) {
            return Optional.of("ends at or before its start");
        }
        if (hasNul(event.summary()) || hasNul(event.description())
                || event.attendees().stream().anyMatch(a -> hasNul(a.email()) || hasNul(a.displayName()))) {
            return Optional.of("text PostgreSQL cannot store (NUL character)");
        }
        return Optional.empty();
    }

    private static boolean hasNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /**
     * A new row for an event the mirror does not have: creator {@code system:google-sync}, no CRM
     * link. PipeDesk's markers are not trusted for who made the event or what it is linked to
     * (anyone who may write the calendar can write them); only a marker row id that is free is
     * kept, so that a create of PipeDesk's whose mirror write failed adopts this row when it is
     * retried (and records who made it then).
     *
     * @param rowId the row's id: a free marker id, or a new one
     */
    static CalendarEvent newRow(String calendarId, GoogleEventSnapshot event, String rowId, Instant now) {
        return new CalendarEvent(rowId, event.id(), calendarId, summary(event), event.isPrivate() ? null : event.description(),
                event.start(), event.end(), event.isPrivate() ? null : event.meetLink(), event.conferenceStatus(),
                event.htmlLink(), event.status(), event.organizerEmail(), event.isPrivate() ? List.of() : event.attendees(),
                null, null, MeetingAudit.GOOGLE_SYNC_ACTOR, null, null, event.etag(), event.updated(), now, now);
    }

    /** The existing row with Google's current version of the event (a cancellation keeps the last known details). */
    static CalendarEvent updatedRow(CalendarEvent row, GoogleEventSnapshot event, Instant now) {
        if (event.status() == EventStatus.CANCELLED) {
            return new CalendarEvent(row.id(), row.googleEventId(), row.calendarId(), row.summary(), row.description(),
                    row.startTime(), row.endTime(), row.meetLink(), row.conferenceStatus(), row.htmlLink(),
                    EventStatus.CANCELLED, row.organizerEmail(), row.attendees(), row.entityType(), row.entityId(),
                    row.createdBy(), row.idempotencyKey(), row.requestHash(),
                    Objects.requireNonNullElse(event.etag(), row.googleEtag()),
                    Objects.requireNonNullElse(event.updated(), row.googleUpdatedAt()), row.createdAt(), now);
        }
        ConferenceStatus conference = event.conferenceStatus() == ConferenceStatus.NONE
                ? row.conferenceStatus() : event.conferenceStatus();
        return new CalendarEvent(row.id(), row.googleEventId(), row.calendarId(), summary(event),
                event.isPrivate() ? null : event.description(), event.start(), event.end(),
                event.isPrivate() ? null : event.meetLink(), conference, event.htmlLink(), event.status(),
                event.organizerEmail(), event.isPrivate() ? List.of() : event.attendees(), row.entityType(),
                row.entityId(), row.createdBy(), row.idempotencyKey(), row.requestHash(), event.etag(), event.updated(),
                row.createdAt(), now);
    }

    /** The row with only Google's version stamp changed (a change that altered nothing PipeDesk mirrors). */
    static CalendarEvent restamped(CalendarEvent row, GoogleEventSnapshot event) {
        return new CalendarEvent(row.id(), row.googleEventId(), row.calendarId(), row.summary(), row.description(),
                row.startTime(), row.endTime(), row.meetLink(), row.conferenceStatus(), row.htmlLink(), row.status(),
                row.organizerEmail(), row.attendees(), row.entityType(), row.entityId(), row.createdBy(),
                row.idempotencyKey(), row.requestHash(), Objects.requireNonNullElse(event.etag(), row.googleEtag()),
                Objects.requireNonNullElse(event.updated(), row.googleUpdatedAt()), row.createdAt(), row.updatedAt());
    }

    /** The row cancelled because Google no longer has the event (a full listing did not contain it). */
    static CalendarEvent cancelledRow(CalendarEvent row, Instant now) {
        return new CalendarEvent(row.id(), row.googleEventId(), row.calendarId(), row.summary(), row.description(),
                row.startTime(), row.endTime(), row.meetLink(), row.conferenceStatus(), row.htmlLink(),
                EventStatus.CANCELLED, row.organizerEmail(), row.attendees(), row.entityType(), row.entityId(),
                row.createdBy(), row.idempotencyKey(), row.requestHash(), row.googleEtag(), row.googleUpdatedAt(),
                row.createdAt(), now);
    }

    private static String summary(GoogleEventSnapshot event) {
        if (event.isPrivate()) {
            return BUSY;
        }
        return event.summary() == null || event.summary().isBlank() ? NO_TITLE : event.summary();
    }
}
