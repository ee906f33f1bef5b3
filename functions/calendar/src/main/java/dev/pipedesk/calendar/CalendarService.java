package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EventView;
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
import dev.pipedesk.google.PipeDeskMarkers;
import dev.pipedesk.google.GoogleFailures;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.http.EntityTag;
import dev.pipedesk.http.IfMatch;
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
 * failure leaves the mirror untouched and produces no audit event. A write whose answer from
 * Google was lost is settled by re-reading the event: what Google holds decides the answer.
 *
 * <p>Every write holds the meeting's lock from its Google write until its mirror write has
 * committed ({@link EventStore#exclusively}), the lock the sync takes before it applies a change
 * of that event: so the sync meets PipeDesk's own change only once the mirror holds it (an echo,
 * which it ignores). Calendars are stored under their canonical id ({@link CalendarIdResolver}:
 * {@code primary} becomes its owner's e-mail), the id the sync keys them by.
 */
public final class CalendarService {
    static final String PROP_EVENT_ID = PipeDeskMarkers.EVENT_ID;
    static final String PROP_ENTITY_TYPE = PipeDeskMarkers.ENTITY_TYPE;
    static final String PROP_ENTITY_ID = PipeDeskMarkers.ENTITY_ID;
    static final String PROP_CREATED_BY = PipeDeskMarkers.CREATED_BY;
    static final int MAX_IDEMPOTENCY_KEY = 255;
    /** Attempts at the mirror write after a Google change while other requests keep changing the row. */
    private static final int MAX_MIRROR_ATTEMPTS = 3;

    private final EventStore events;
    private final GoogleCalendar google;
    private final WritableCalendars calendars;
    private final CalendarIdResolver calendarIds;
    private final Clock clock;

    /** The stored event and whether it answers an earlier request with the same Idempotency-Key. */
    public record Created(CalendarEvent event, boolean replayed) {
    }

    /**
     * @param calendars   the calendars meetings may be created on, and the default one
     * @param calendarIds the canonical id of a calendar id ({@code CalendarIds::canonical})
     */
    public CalendarService(EventStore events, GoogleCalendar google, WritableCalendars calendars,
                           CalendarIdResolver calendarIds, Clock clock) {
        this.events = Objects.requireNonNull(events, "events");
        this.google = Objects.requireNonNull(google, "google");
        this.calendars = Objects.requireNonNull(calendars, "calendars");
        this.calendarIds = Objects.requireNonNull(calendarIds, "calendarIds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Calendar ids taken as written, {@code primary} included ({@link CalendarIdResolver#AS_GIVEN}): for tests. */
    CalendarService(EventStore events, GoogleCalendar google, WritableCalendars calendars, Clock clock) {
        this(events, google, calendars, CalendarIdResolver.AS_GIVEN, clock);
    }

    /** The calendar a request that names none is about ({@code GOOGLE_DEFAULT_CALENDAR}). */
    public String defaultCalendar() {
        return calendars.defaultCalendar();
    }

    /**
     * Creates the meeting on the calendar the request names (the default calendar when it names
     * none), which must be one PipeDesk may write (422 otherwise). The meeting is stored, and its
     * Google calls made, under the calendar's canonical id.
     */
    public Created create(NewEvent request, String idempotencyKey, Principal caller, RequestOrigin origin) {
        NewEvent input = request.onCalendar(writableCalendar(request.calendarId()));
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
        return events.exclusively(input.calendarId(), googleEventId,
                () -> insertAndStore(input, draft, localId, idempotencyKey, requestHash, caller, origin));
    }

    /**
     * The canonical id of the calendar a create request names (the default calendar when it names
     * none), provided PipeDesk may write it (else 422). Ids are compared in canonical form, so
     * {@code primary} and its owner's e-mail name the same calendar.
     */
    private String writableCalendar(String named) {
        String requested = named == null ? calendars.defaultCalendar() : named;
        String canonical = canonical(requested);
        if (calendars.mayWrite(requested) || calendars.writable().stream().map(this::canonical).anyMatch(canonical::equals)) {
            return canonical;
        }
        throw ApiException.validation("calendar_id", "is not a calendar PipeDesk may write to");
    }

    private String canonical(String calendarId) {
        try {
            return calendarIds.canonical(calendarId);
        } catch (GoogleCalendarException e) {
            throw GoogleFailures.nothingChanged("find the calendar", e);
        }
    }

    /** Under the meeting's lock: the Google insert, then the mirror row with its audit event. */
    private Created insertAndStore(NewEvent input, EventDraft draft, String localId, String idempotencyKey,
                                   String requestHash, Principal caller, RequestOrigin origin) {
        GoogleEventSnapshot created;
        try {
            created = insertOrFindLost(input.calendarId(), draft);
            if (input.createMeetLink()) {
                created = google.awaitConference(input.calendarId(), created);
            }
        } catch (GoogleCalendarException.Duplicate e) {
            if (idempotencyKey != null) {
                // The key's event id is taken by a different request (one running concurrently, or
                // an earlier one whose answer was lost): the same answer as a sequential reuse.
                throw ApiException.validation("Idempotency-Key", "was already used for a different request");
            }
            throw GoogleFailures.nothingChanged("create the event", e);
        } catch (GoogleCalendarException e) {
            throw GoogleFailures.nothingChanged("create the event", e);
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
            // Not created by this call: the row was there already, stored by a concurrent retry with this key.
            return new Created(stored.row(), !stored.created() && idempotencyKey != null);
        } catch (RuntimeException storeFailed) {
            if (idempotencyKey == null) {
                undoCreate(input.calendarId(), created.id(), storeFailed);
            }
            throw storeFailed;
        }
    }

    /**
     * Inserts the draft. When Google's answer was lost (it may have created the event), the event
     * is re-read under the id the service chose: found with this request's marker, it is this
     * insert and is adopted; not found, nothing was created.
     */
    private GoogleEventSnapshot insertOrFindLost(String calendarId, EventDraft draft) {
        try {
            return google.insert(calendarId, draft);
        } catch (GoogleCalendarException insertFailed) {
            if (!insertFailed.mayHaveBeenApplied()) {
                throw insertFailed;
            }
            Optional<GoogleEventSnapshot> found = rereadAfterLostAnswer(calendarId, draft.eventId(), "create the event",
                    insertFailed);
            if (found.isPresent() && draft.isStoredAs(found.get())) {
                return found.get();
            }
            throw insertFailed;
        }
    }

    /**
     * Google's copy of an event after a write whose answer was lost; empty when Google has no such
     * event. A failed re-read leaves the outcome unknown, and the client is told so.
     */
    private Optional<GoogleEventSnapshot> rereadAfterLostAnswer(String calendarId, String googleEventId, String action,
                                                               GoogleCalendarException lost) {
        try {
            return Optional.of(google.get(calendarId, googleEventId));
        } catch (GoogleCalendarException.NotFound | GoogleCalendarException.Gone notThere) {
            return Optional.empty();
        } catch (GoogleCalendarException rereadFailed) {
            lost.addSuppressed(rereadFailed);
            throw GoogleFailures.outcomeUnknown(action, lost);
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

    /** The meetings the query selects among those the caller may see ({@link MeetingScope}). */
    public EventPage list(EventQuery query, Principal caller) {
        return switch (MeetingScope.of(caller)) {
            case MeetingScope.AllMeetings all -> events.list(onCanonicalCalendar(query));
            case MeetingScope.AttendedBy attendee -> events.list(onCanonicalCalendar(query).attendedBy(attendee.email()));
            case MeetingScope.NoMeetings none -> new EventPage(List.of(), 0);
        };
    }

    /** The query with its calendar filter, if any, in canonical form (the form meetings are stored under). */
    private EventQuery onCanonicalCalendar(EventQuery query) {
        if (query.calendarId() == null) {
            return query;
        }
        String canonical = canonical(query.calendarId());
        return canonical.equals(query.calendarId()) ? query : new EventQuery(query.timeMin(), query.timeMax(),
                query.status(), query.entityType(), query.entityId(), canonical, query.limit(), query.offset(),
                query.allStatuses(), query.attendeeEmail());
    }

    /** The meeting, if the caller may see it; a meeting outside its scope is 404, as if it did not exist. */
    public CalendarEvent get(String id, Principal caller) {
        CalendarEvent event = get(id);
        if (!MeetingScope.of(caller).includes(event)) {
            throw notFound(id);
        }
        return event;
    }

    /** The meeting, whoever asks (the caller's scope is {@link #get(String, Principal)}). */
    CalendarEvent get(String id) {
        return events.findByIdOrGoogleId(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("calendar event", id);
    }

    /** {@link #update(String, EventChanges, IfMatch, Principal, RequestOrigin)} without a precondition. */
    public CalendarEvent update(String id, EventChanges changes, Principal caller, RequestOrigin origin) {
        return update(id, changes, IfMatch.ABSENT, caller, origin);
    }

    /** Applies the changes, provided the meeting is still at a version {@code ifMatch} names (else 412). */
    public CalendarEvent update(String id, EventChanges changes, IfMatch ifMatch, Principal caller, RequestOrigin origin) {
        CalendarEvent current = get(id);
        requireMayModify(current, caller);
        requireVersion(current, ifMatch);
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
        return events.exclusively(current.calendarId(), current.googleEventId(),
                () -> patchAndStore(current, patch, link, caller, origin));
    }

    /** Under the meeting's lock: the Google patch, then the mirror row with its audit event. */
    private CalendarEvent patchAndStore(CalendarEvent current, EventPatch patch, EventChanges.EntityLink link,
                                        Principal caller, RequestOrigin origin) {
        GoogleEventSnapshot updated;
        // Whether Google's version is this request's own write (not an equal one made before it).
        boolean ownWrite = true;
        try {
            updated = google.patch(current.calendarId(), current.googleEventId(), patch, current.googleEtag());
        } catch (GoogleCalendarException.PreconditionFailed conflict) {
            updated = resolveConflict(current, patch, readFromGoogle(current), origin);
            ownWrite = false;
        } catch (GoogleCalendarException e) {
            if (!e.mayHaveBeenApplied()) {
                throw GoogleFailures.nothingChanged("update the event", e);
            }
            // The answer was lost: Google's copy tells whether the change landed.
            GoogleEventSnapshot latest = rereadAfterLostAnswer(current.calendarId(), current.googleEventId(),
                    "update the event", e).orElseThrow(() -> GoogleFailures.nothingChanged("update the event", e));
            if (!patch.isAppliedIn(latest) && Objects.equals(latest.etag(), current.googleEtag())) {
                throw GoogleFailures.nothingChanged("update the event", e);
            }
            updated = resolveConflict(current, patch, latest, origin);
        }
        Optional<CalendarEvent> stored = events.updateIfUnchanged(mirror(current, updated, link), current.updatedAt(),
                after -> CalendarAudit.changed("update", current, after, caller.userId(), origin, clock.instant()));
        return stored.isPresent() ? stored.get() : mirroredMeanwhile(current, updated, link, ownWrite, caller, origin);
    }

    /**
     * The row changed after {@code current} was read. If it holds Google's version of this very
     * change already (another writer, such as the sync, stored exactly this result), the change
     * succeeded: for the request's own Google write, the row is written once more with the CRM
     * link, and the update is recorded (the sync wrote no entry for PipeDesk's own change); for a
     * version that only equals the change (made by an earlier request, which recorded it), the
     * row is answered as it is. Otherwise another request got in between: 409.
     */
    private CalendarEvent mirroredMeanwhile(CalendarEvent current, GoogleEventSnapshot updated,
                                            EventChanges.EntityLink link, boolean ownWrite, Principal caller,
                                            RequestOrigin origin) {
        CalendarEvent stored = get(current.id());
        if (stored.isCancelled() || !Objects.equals(stored.googleEtag(), updated.etag())) {
            throw changedMeanwhile(current.id());
        }
        if (!ownWrite) {
            return stored;
        }
        return events.updateIfUnchanged(mirror(stored, updated, link), stored.updatedAt(),
                        after -> CalendarAudit.changed("update", current, after, caller.userId(), origin, clock.instant()))
                .orElseThrow(() -> changedMeanwhile(current.id()));
    }

    /** {@link #cancel(String, IfMatch, Principal, RequestOrigin)} without a precondition. */
    public CalendarEvent cancel(String id, Principal caller, RequestOrigin origin) {
        return cancel(id, IfMatch.ABSENT, caller, origin);
    }

    /** Cancels the meeting, provided it is still at a version {@code ifMatch} names (else 412). */
    public CalendarEvent cancel(String id, IfMatch ifMatch, Principal caller, RequestOrigin origin) {
        CalendarEvent current = get(id);
        requireMayModify(current, caller);
        requireVersion(current, ifMatch);
        if (current.isCancelled()) {
            return current;
        }
        return events.exclusively(current.calendarId(), current.googleEventId(),
                () -> deleteAndStore(id, current, caller, origin));
    }

    /**
     * Under the meeting's lock: the Google delete, then the mirror row with its audit event. A row
     * found cancelled meanwhile (a concurrent cancel, or the sync's copy of a cancellation; each
     * recorded its own entry) is the answer as it is.
     */
    private CalendarEvent deleteAndStore(String id, CalendarEvent current, Principal caller, RequestOrigin origin) {
        try {
            google.delete(current.calendarId(), current.googleEventId());
        } catch (GoogleCalendarException.NotFound | GoogleCalendarException.Gone alreadyGone) {
            // Deleted in Google already: the cancellation is done either way.
        } catch (GoogleCalendarException e) {
            // A lost answer: Google's copy tells whether the delete landed.
            boolean deleted = e.mayHaveBeenApplied() && rereadAfterLostAnswer(current.calendarId(),
                    current.googleEventId(), "cancel the event", e).map(GoogleEventSnapshot::status)
                    .map(EventStatus.CANCELLED::equals).orElse(true);
            if (!deleted) {
                throw GoogleFailures.nothingChanged("cancel the event", e);
            }
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

    private GoogleEventSnapshot readFromGoogle(CalendarEvent current) {
        try {
            return google.get(current.calendarId(), current.googleEventId());
        } catch (GoogleCalendarException e) {
            throw GoogleFailures.nothingChanged("read the event", e);
        }
    }

    /**
     * Google's copy ({@code latest}) changed since we last saw it. If it already holds what we
     * asked for (our own earlier attempt landed, or this one whose answer was lost), that is
     * success; otherwise the mirror catches up with Google and the caller gets 409 with the
     * current state, to re-apply their change knowingly. The catching up is recorded as a
     * {@code sync_conflict} made by {@code system:google-sync} (the change was made in Google, not
     * by this caller), with this request's id, ip and user agent.
     */
    private GoogleEventSnapshot resolveConflict(CalendarEvent current, EventPatch patch, GoogleEventSnapshot latest,
                                                RequestOrigin origin) {
        if (patch.isAppliedIn(latest)) {
            return latest;
        }
        CalendarEvent refreshed = events.updateIfUnchanged(mirror(current, latest, link(current)), current.updatedAt(),
                        after -> CalendarAudit.conflict(current, after, origin, clock.instant()))
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

    /** 412 with the meeting as it is now (and its ETag) when the client's If-Match names another version. */
    private static void requireVersion(CalendarEvent current, IfMatch ifMatch) {
        EntityTag version = EventVersion.of(current);
        if (!ifMatch.allows(version)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("current", EventView.of(current, false));
            details.put("etag", version.headerValue());
            throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                    "The event has changed since the version in If-Match; review the current state and retry with its ETag.",
                    details);
        }
    }

}
