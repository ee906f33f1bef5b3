package dev.pipedesk.calendar;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.google.EventDraft;
import dev.pipedesk.google.EventPatch;
import dev.pipedesk.google.GoogleCalendar;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleEventSnapshot;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Meetings: Google Calendar is written first (it is the source of truth for the event), then
 * the mirror together with the change's audit event ({@link EventStore}: one database
 * transaction, published to the audit queue after commit, in the background). Any Google
 * failure leaves the mirror untouched and produces no audit event.
 */
public final class CalendarService {
    static final String PROP_EVENT_ID = "pipedesk_event_id";
    static final String PROP_ENTITY_TYPE = "pipedesk_entity_type";
    static final String PROP_ENTITY_ID = "pipedesk_entity_id";
    static final String PROP_CREATED_BY = "pipedesk_created_by";
    static final int MAX_IDEMPOTENCY_KEY = 255;
    /** Attempts at the mirror write after a Google change while other requests keep changing the row. */
    private static final int MAX_MIRROR_ATTEMPTS = 3;

    private final EventStore events;
    private final GoogleCalendar google;
    private final Clock clock;

    /** The stored event and whether it answers an earlier request with the same Idempotency-Key. */
    public record Created(CalendarEvent event, boolean replayed) {
    }

    public CalendarService(EventStore events, GoogleCalendar google, Clock clock) {
        this.events = Objects.requireNonNull(events, "events");
        this.google = Objects.requireNonNull(google, "google");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Created create(NewEvent input, String idempotencyKey, Principal caller, RequestOrigin origin) {
        String requestHash = Hashes.sha256Hex(caller.userId() + "\n" + Json.write(input));
        if (idempotencyKey != null) {
            if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
                throw ApiException.validation("Idempotency-Key", "must be at most " + MAX_IDEMPOTENCY_KEY + " characters");
            }
            Optional<CalendarEvent> earlier = events.findByIdempotencyKey(caller.userId(), idempotencyKey);
            if (earlier.isPresent()) {
                if (!requestHash.equals(earlier.get().requestHash())) {
                    throw ApiException.validation("Idempotency-Key", "was already used for a different request");
                }
                return new Created(earlier.get(), true);
            }
        }
        String googleEventId = idempotencyKey == null
                ? Ids.newGoogleEventId()
                : Ids.googleEventIdFor(caller.userId() + "\n" + idempotencyKey);
        String localId = Ids.uuid();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PROP_EVENT_ID, localId);
        properties.put(PROP_CREATED_BY, caller.userId());
        properties.put(GoogleCalendar.REQUEST_MARKER, idempotencyKey == null ? Ids.uuid() : requestHash);
        if (input.entityType() != null) {
            properties.put(PROP_ENTITY_TYPE, input.entityType().wire());
            properties.put(PROP_ENTITY_ID, input.entityId());
        }
        EventDraft draft = new EventDraft(googleEventId, input.summary(), input.description(), input.startTime(),
                input.endTime(), input.attendees(), input.createMeetLink() ? Ids.uuid() : null, properties);

        GoogleEventSnapshot created;
        try {
            created = google.insert(input.calendarId(), draft);
            if (input.createMeetLink()) {
                created = google.awaitConference(input.calendarId(), created);
            }
        } catch (GoogleCalendarException.Duplicate e) {
            if (idempotencyKey != null) {
                // The key's event id is taken by a different request (one running concurrently, or
                // an earlier one whose answer was lost): the same answer as a sequential reuse.
                throw ApiException.validation("Idempotency-Key", "was already used for a different request");
            }
            throw googleFailure("create the event", e);
        } catch (GoogleCalendarException e) {
            throw googleFailure("create the event", e);
        }
        Instant now = clock.instant();
        // A recovered earlier attempt stamped its own local id into Google: keep the two in step.
        String storedId = created.privateProperties().getOrDefault(PROP_EVENT_ID, localId);
        CalendarEvent row = new CalendarEvent(storedId, created.id(), input.calendarId(),
                Objects.requireNonNullElse(created.summary(), input.summary()), created.description(),
                created.start(), created.end(), created.meetLink(), created.conferenceStatus(), created.htmlLink(),
                created.status(), created.organizerEmail(), created.attendees(), input.entityType(), input.entityId(),
                caller.userId(), idempotencyKey, requestHash, created.etag(), created.updated(), now, now);
        try {
            EventStore.Stored stored = events.insertOrAdopt(row,
                    inserted -> CalendarAudit.created(inserted, caller.userId(), origin, now));
            // Adopted: the row was there already, stored by a concurrent retry with this key.
            return new Created(stored.row(), !stored.inserted() && idempotencyKey != null);
        } catch (RuntimeException storeFailed) {
            if (idempotencyKey == null) {
                undoCreate(input.calendarId(), created.id(), storeFailed);
            }
            throw storeFailed;
        }
    }

    /**
     * The mirror could not be written and the client has no Idempotency-Key to retry with: take
     * the Google event back, so the failed request leaves nothing behind. (With a key, the event
     * stays: Google never reuses a deleted id, and the retry adopts the existing event instead.)
     * If even the delete fails, the event stays in Google, where sync will pick it up.
     */
    private void undoCreate(String calendarId, String googleEventId, RuntimeException cause) {
        try {
            google.delete(calendarId, googleEventId);
        } catch (GoogleCalendarException e) {
            cause.addSuppressed(e);
        }
    }

    public EventPage list(EventQuery query) {
        return events.list(query);
    }

    public CalendarEvent get(String id) {
        return events.findByIdOrGoogleId(id).orElseThrow(() -> ApiException.notFound("calendar event", id));
    }

    public CalendarEvent update(String id, EventChanges changes, Principal caller, RequestOrigin origin) {
        CalendarEvent current = get(id);
        requireMayModify(current, caller);
        if (current.isCancelled()) {
            throw ApiException.conflict("The event is cancelled and can no longer be changed.", null);
        }
        Instant start = changes.startTime().applyTo(current.startTime());
        Instant end = changes.endTime().applyTo(current.endTime());
        if (!end.isAfter(start)) {
            throw ApiException.validation(List.of(new FieldError("end_time", "must be after start_time")));
        }
        EventChanges.EntityLink currentLink = current.entityType() == null ? null
                : new EventChanges.EntityLink(current.entityType(), current.entityId());
        FieldChange<EventChanges.EntityLink> entity = changes.entity().comparedWith(currentLink);
        EventChanges.EntityLink link = entity.applyTo(currentLink);
        // Only what differs from the mirror goes to Google; start and end travel together.
        boolean rescheduled = !start.equals(current.startTime()) || !end.equals(current.endTime());
        EventPatch patch = new EventPatch(
                changes.summary().comparedWith(current.summary()),
                changes.description().comparedWith(current.description()),
                rescheduled ? FieldChange.set(start) : FieldChange.keep(),
                rescheduled ? FieldChange.set(end) : FieldChange.keep(),
                changes.attendees().comparedWith(emails(current.attendees())),
                entity instanceof FieldChange.Keep ? FieldChange.keep() : FieldChange.set(privateProperties(current, link)));
        if (patch.isEmpty()) {
            return current;
        }
        GoogleEventSnapshot updated;
        try {
            updated = google.patch(current.calendarId(), current.googleEventId(), patch, current.googleEtag());
        } catch (GoogleCalendarException.PreconditionFailed conflict) {
            updated = resolveConflict(current, patch, caller, origin);
        } catch (GoogleCalendarException e) {
            throw googleFailure("update the event", e);
        }
        return events.updateIfUnchanged(mirror(current, updated, link), current.updatedAt(),
                        after -> CalendarAudit.changed("update", current, after, caller.userId(), origin, clock.instant()))
                .orElseThrow(() -> changedMeanwhile(current.id()));
    }

    public CalendarEvent cancel(String id, Principal caller, RequestOrigin origin) {
        CalendarEvent current = get(id);
        requireMayModify(current, caller);
        if (current.isCancelled()) {
            return current;
        }
        try {
            google.delete(current.calendarId(), current.googleEventId());
        } catch (GoogleCalendarException.NotFound | GoogleCalendarException.Gone alreadyGone) {
            // Deleted in Google already: the cancellation is done either way.
        } catch (GoogleCalendarException e) {
            throw googleFailure("cancel the event", e);
        }
        // Google's copy is gone now, so the mirror must say cancelled: if another request changed
        // the row meanwhile, cancel the row as it is now (a concurrent cancel already did it).
        CalendarEvent before = current;
        for (int attempt = 1; ; attempt++) {
            CalendarEvent read = before;
            Optional<CalendarEvent> cancelled = events.updateIfUnchanged(cancelledCopy(read), read.updatedAt(),
                    after -> CalendarAudit.changed("cancel", read, after, caller.userId(), origin, clock.instant()));
            if (cancelled.isPresent()) {
                return cancelled.get();
            }
            before = get(id);
            if (before.isCancelled()) {
                return before;
            }
            if (attempt == MAX_MIRROR_ATTEMPTS) {
                // A repeat of the DELETE finishes it (Google's copy is gone, which counts as done).
                throw changedMeanwhile(id);
            }
        }
    }

    private CalendarEvent cancelledCopy(CalendarEvent current) {
        return new CalendarEvent(current.id(), current.googleEventId(), current.calendarId(),
                current.summary(), current.description(), current.startTime(), current.endTime(), current.meetLink(),
                current.conferenceStatus(), current.htmlLink(), EventStatus.CANCELLED, current.organizerEmail(),
                current.attendees(), current.entityType(), current.entityId(), current.createdBy(),
                current.idempotencyKey(), current.requestHash(), current.googleEtag(), current.googleUpdatedAt(),
                current.createdAt(), clock.instant());
    }

    /** 409 with the row as it is now: another request changed it while this one ran. */
    private ApiException changedMeanwhile(String id) {
        return ApiException.conflict("The event was changed by another request meanwhile; review the current state and retry.",
                Map.of("current", EventView.of(get(id), false)));
    }

    /**
     * Google's copy changed since we last saw it. If it already holds what we asked for (our own
     * earlier attempt landed), that is success; otherwise the mirror catches up with Google and
     * the caller gets 409 with the current state, to re-apply their change knowingly.
     */
    private GoogleEventSnapshot resolveConflict(CalendarEvent current, EventPatch patch, Principal caller,
                                                RequestOrigin origin) {
        GoogleEventSnapshot latest;
        try {
            latest = google.get(current.calendarId(), current.googleEventId());
        } catch (GoogleCalendarException e) {
            throw googleFailure("read the event", e);
        }
        if (patch.isAppliedIn(latest)) {
            return latest;
        }
        CalendarEvent refreshed = events.updateIfUnchanged(mirror(current, latest, link(current)), current.updatedAt(),
                        after -> CalendarAudit.changed("sync_conflict", current, after, caller.userId(), origin, clock.instant()))
                .orElseGet(() -> get(current.id()));
        throw ApiException.conflict("The event was changed in Google Calendar meanwhile; review the current state and retry.",
                Map.of("current", EventView.of(refreshed, false)));
    }

    /** The row after a Google write: Google's fields, our CRM link and bookkeeping. */
    private CalendarEvent mirror(CalendarEvent current, GoogleEventSnapshot g, EventChanges.EntityLink link) {
        return new CalendarEvent(current.id(), current.googleEventId(), current.calendarId(),
                Objects.requireNonNullElse(g.summary(), current.summary()), g.description(), g.start(), g.end(),
                g.meetLink(), g.conferenceStatus() == ConferenceStatus.NONE ? current.conferenceStatus() : g.conferenceStatus(),
                g.htmlLink(), g.status(), g.organizerEmail(), g.attendees(), link == null ? null : link.type(),
                link == null ? null : link.id(), current.createdBy(), current.idempotencyKey(), current.requestHash(),
                g.etag(), g.updated(), current.createdAt(), clock.instant());
    }

    private static EventChanges.EntityLink link(CalendarEvent event) {
        return event.entityType() == null ? null : new EventChanges.EntityLink(event.entityType(), event.entityId());
    }

    private static List<String> emails(List<Attendee> attendees) {
        return attendees.stream().map(Attendee::email).toList();
    }

    /** The private properties that carry the CRM link; an unlinked meeting has them empty. */
    private static Map<String, String> privateProperties(CalendarEvent current, EventChanges.EntityLink link) {
        EntityType type = link == null ? null : link.type();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PROP_EVENT_ID, current.id());
        properties.put(PROP_CREATED_BY, current.createdBy());
        properties.put(PROP_ENTITY_TYPE, type == null ? "" : type.wire());
        properties.put(PROP_ENTITY_ID, link == null ? "" : link.id());
        return properties;
    }

    /** Sales may change the meetings they created; managers and admins may change any. */
    private static void requireMayModify(CalendarEvent event, Principal caller) {
        if (caller.role().atLeast(Role.MANAGER)) {
            return;
        }
        if (caller.role().atLeast(Role.SALES) && caller.userId().equals(event.createdBy())) {
            return;
        }
        throw ApiException.forbidden("You may only change meetings you created.");
    }

    private static ApiException googleFailure(String action, GoogleCalendarException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("google_status", e.status());
        details.put("google_reason", e.reason());
        String message = switch (e) {
            case GoogleCalendarException.Unavailable u ->
                    "Google Calendar is unavailable; could not " + action + ". Nothing was changed; try again.";
            default -> "Google Calendar refused to " + action + ". Nothing was changed.";
        };
        return new ApiException(ErrorCode.UPSTREAM_FAILED, message, details);
    }
}
