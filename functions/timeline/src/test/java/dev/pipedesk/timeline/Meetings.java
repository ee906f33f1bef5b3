package dev.pipedesk.timeline;

import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;
import java.util.List;

/** Meeting rows for the timeline's tests: one fixed meeting and copies of it with one thing changed. */
final class Meetings {
    static final Instant START = Instant.parse("2026-06-02T15:00:00Z");
    static final Instant END = Instant.parse("2026-06-02T16:00:00Z");
    static final Instant CREATED = Instant.parse("2026-05-20T09:00:00Z");

    private Meetings() {
    }

    /** "Kickoff" on 2 Jun 2026 15:00–16:00 UTC with two attendees, linked to deal d-1, created by u-1. */
    static CalendarEvent kickoff() {
        return new CalendarEvent("0b6f3c1e-7d0a-4c55-9a51-3f1d2a8e9b10", "g-evt-1", "sales@pipedesk.dev", "Kickoff",
                "Agenda: scope and budget", START, END, "https://meet.google.com/abc-defg-hij", ConferenceStatus.SUCCESS,
                "https://calendar.google.com/event?eid=1", EventStatus.CONFIRMED, "sales@pipedesk.dev",
                List.of(new Attendee("ana@client.example", "needsAction", "Ana", false, false),
                        new Attendee("bo@client.example", "accepted", null, false, true)),
                EntityType.DEAL, "d-1", "u-1", "idem-1", "hash-1", "\"etag-1\"", CREATED, CREATED, CREATED);
    }

    static CalendarEvent titled(CalendarEvent e, String summary) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), summary, e.description(), e.startTime(),
                e.endTime(), e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(), e.organizerEmail(),
                e.attendees(), e.entityType(), e.entityId(), e.createdBy(), e.idempotencyKey(), e.requestHash(),
                e.googleEtag(), e.googleUpdatedAt(), e.createdAt(), e.updatedAt());
    }

    static CalendarEvent described(CalendarEvent e, String description, String meetLink) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), description, e.startTime(),
                e.endTime(), meetLink, e.conferenceStatus(), e.htmlLink(), e.status(), e.organizerEmail(),
                e.attendees(), e.entityType(), e.entityId(), e.createdBy(), e.idempotencyKey(), e.requestHash(),
                e.googleEtag(), e.googleUpdatedAt(), e.createdAt(), e.updatedAt());
    }

    static CalendarEvent timed(CalendarEvent e, Instant start, Instant end) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(), start, end,
                e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(), e.organizerEmail(), e.attendees(),
                e.entityType(), e.entityId(), e.createdBy(), e.idempotencyKey(), e.requestHash(), e.googleEtag(),
                e.googleUpdatedAt(), e.createdAt(), e.updatedAt());
    }

    static CalendarEvent attended(CalendarEvent e, Attendee... attendees) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(),
                e.startTime(), e.endTime(), e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(),
                e.organizerEmail(), List.of(attendees), e.entityType(), e.entityId(), e.createdBy(),
                e.idempotencyKey(), e.requestHash(), e.googleEtag(), e.googleUpdatedAt(), e.createdAt(), e.updatedAt());
    }

    static CalendarEvent withStatus(CalendarEvent e, EventStatus status) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(),
                e.startTime(), e.endTime(), e.meetLink(), e.conferenceStatus(), e.htmlLink(), status,
                e.organizerEmail(), e.attendees(), e.entityType(), e.entityId(), e.createdBy(), e.idempotencyKey(),
                e.requestHash(), e.googleEtag(), e.googleUpdatedAt(), e.createdAt(), e.updatedAt());
    }

    static CalendarEvent linked(CalendarEvent e, EntityType type, String entityId) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(),
                e.startTime(), e.endTime(), e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(),
                e.organizerEmail(), e.attendees(), type, entityId, e.createdBy(), e.idempotencyKey(),
                e.requestHash(), e.googleEtag(), e.googleUpdatedAt(), e.createdAt(), e.updatedAt());
    }

    /** The row a later write leaves: every write bumps updated_at (bookkeeping the audit ignores). */
    static CalendarEvent touched(CalendarEvent e, Instant at) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(),
                e.startTime(), e.endTime(), e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(),
                e.organizerEmail(), e.attendees(), e.entityType(), e.entityId(), e.createdBy(), e.idempotencyKey(),
                e.requestHash(), "\"etag-2\"", at, e.createdAt(), at);
    }
}
