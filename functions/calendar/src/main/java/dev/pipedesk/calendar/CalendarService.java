package dev.pipedesk.calendar;

import com.google.api.services.calendar.model.Event;
import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.google.EventDraft;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleEventSnapshot;
import dev.pipedesk.google.GoogleEvents;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.postgres.EventQuery;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Meetings: Google Calendar is written first (it is the source of truth for the event), then
 * the PostgreSQL mirror together with the change's audit event (transactional outbox: one
 * database transaction), which is sent to the audit queue after commit, in the background. Any
 * Google failure leaves the mirror untouched and produces no audit event.
 */
public final class CalendarService {
    static final String PROP_EVENT_ID = "pipedesk_event_id";
    static final String PROP_ENTITY_TYPE = "pipedesk_entity_type";
    static final String PROP_ENTITY_ID = "pipedesk_entity_id";
    static final String PROP_CREATED_BY = "pipedesk_created_by";
    static final int MAX_IDEMPOTENCY_KEY = 255;
    /** Attempts at the mirror write after a Google change while other requests keep changing the row. */
    private static final int MAX_MIRROR_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final CalendarEventRepository events;
    private final GoogleCalendarGateway google;
    private final AuditOutbox audit;
    private final Clock clock;

    public CalendarService(DataSource dataSource, CalendarEventRepository events, GoogleCalendarGateway google,
                           AuditOutbox audit, Clock clock) {
        this.dataSource = dataSource;
        this.events = events;
        this.google = google;
        this.audit = audit;
        this.clock = clock;
    }

    /** The stored event and whether it answers an earlier request with the same Idempotency-Key. */
    public record Created(CalendarEvent event, boolean replayed) {
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
        properties.put(GoogleCalendarGateway.REQUEST_MARKER, idempotencyKey == null ? Ids.uuid() : requestHash);
        if (input.entityType() != null) {
            properties.put(PROP_ENTITY_TYPE, input.entityType().wire());
            properties.put(PROP_ENTITY_ID, input.entityId());
        }
        EventDraft draft = new EventDraft(googleEventId, input.summary(), input.description(), input.startTime(),
                input.endTime(), input.attendees(), input.createMeetLink() ? Ids.uuid() : null, properties);

        Event created;
        try {
            created = google.insert(input.calendarId(), GoogleEvents.toGoogle(draft));
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
        GoogleEventSnapshot google = GoogleEvents.snapshot(created);
        Instant now = clock.instant();
        // A recovered earlier attempt stamped its own local id into Google: keep the two in step.
        String storedId = google.privateProperties().getOrDefault(PROP_EVENT_ID, localId);
        CalendarEvent row = new CalendarEvent(storedId, google.id(), input.calendarId(),
                Objects.requireNonNullElse(google.summary(), input.summary()), google.description(),
                google.start(), google.end(), google.meetLink(), google.conferenceStatus(), google.htmlLink(),
                google.status(), google.organizerEmail(), google.attendees(), input.entityType(), input.entityId(),
                caller.userId(), idempotencyKey, requestHash, google.etag(), google.updated(), now, now);
        try {
            Written stored = storeWithAudit(row, inserted -> CalendarAudit.created(inserted, caller.userId(), origin, now));
            // No event appended: the row was there already, stored by a concurrent retry with this key.
            return new Created(stored.row(), stored.event() == null && idempotencyKey != null);
        } catch (RuntimeException storeFailed) {
            if (idempotencyKey == null) {
                undoCreate(input.calendarId(), google.id(), storeFailed);
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
        return events.findByIdOrGoogleId(id).orElseThrow(() -> ApiException.notFound("No calendar event with id " + id));
    }

    public CalendarEvent update(String id, EventChanges changes, Principal caller, RequestOrigin origin) {
        CalendarEvent current = get(id);
        requireMayModify(current, caller);
        if (current.isCancelled()) {
            throw ApiException.conflict("The event is cancelled and can no longer be changed.", null);
        }
        Instant start = changes.startTime() != null ? changes.startTime().orElseThrow() : current.startTime();
        Instant end = changes.endTime() != null ? changes.endTime().orElseThrow() : current.endTime();
        if (!end.isAfter(start)) {
            throw ApiException.validation(List.of(new FieldError("end_time", "must be after start_time")));
        }
        Event patch = GoogleEvents.emptyPatch();
        boolean googleChanged = false;
        if (changes.summary() != null && !changes.summary().get().equals(current.summary())) {
            GoogleEvents.patchSummary(patch, changes.summary().get());
            googleChanged = true;
        }
        if (changes.description() != null && !Objects.equals(changes.description().orElse(null), current.description())) {
            GoogleEvents.patchDescription(patch, changes.description().orElse(null));
            googleChanged = true;
        }
        if (!start.equals(current.startTime()) || !end.equals(current.endTime())) {
            GoogleEvents.patchTimes(patch, start, end);
            googleChanged = true;
        }
        List<String> currentEmails = current.attendees().stream().map(a -> a.email()).toList();
        if (changes.attendees() != null && !changes.attendees().get().equals(currentEmails)) {
            GoogleEvents.patchAttendees(patch, changes.attendees().get());
            googleChanged = true;
        }
        EntityType entityType = current.entityType();
        String entityId = current.entityId();
        if (changes.entity() != null) {
            entityType = changes.entity().map(EventChanges.EntityLink::type).orElse(null);
            entityId = changes.entity().map(EventChanges.EntityLink::id).orElse(null);
            if (entityType != current.entityType() || !Objects.equals(entityId, current.entityId())) {
                GoogleEvents.patchPrivateProperties(patch, privateProperties(current, entityType, entityId));
                googleChanged = true;
            }
        }
        if (!googleChanged) {
            return current;
        }
        Event updated;
        try {
            updated = google.patch(current.calendarId(), current.googleEventId(), patch, current.googleEtag());
        } catch (GoogleCalendarException.PreconditionFailed conflict) {
            updated = resolveConflict(current, patch, caller, origin);
        } catch (GoogleCalendarException e) {
            throw googleFailure("update the event", e);
        }
        GoogleEventSnapshot g = GoogleEvents.snapshot(updated);
        return updateWithAudit(current, mirror(current, g, entityType, entityId),
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
            Optional<CalendarEvent> cancelled = updateWithAudit(read, cancelledCopy(read),
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
     * Inserts the row with its create event in one transaction, then publishes. When the row was
     * already there (a concurrent retry of the same create, or the sync, stored it first) it is
     * adopted, and no second create event is written.
     */
    private Written storeWithAudit(CalendarEvent row, Function<CalendarEvent, AuditEvent> auditOf) {
        Transactions.Work<Written> store = connection -> {
            CalendarEventRepository.Stored stored = events.storeByGoogleId(connection, row);
            return new Written(stored.row(), stored.inserted() ? append(connection, auditOf.apply(stored.row())) : null);
        };
        Written written;
        try {
            written = Transactions.inTransaction(dataSource, store);
        } catch (DatabaseException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // A concurrent retry inserted the same row (same id) a moment earlier, so neither saw
            // the other; it has committed by now, and this attempt adopts its row.
            written = Transactions.inTransaction(dataSource, store);
        }
        publish(written);
        return written;
    }

    /**
     * Writes the row, provided it is still the version {@code read} (optimistic: a concurrent
     * write makes this one a no-op rather than lost under it), and appends its audit event in the
     * same transaction; then publishes. Empty when the row changed meanwhile: nothing written,
     * nothing audited.
     */
    private Optional<CalendarEvent> updateWithAudit(CalendarEvent read, CalendarEvent row,
                                                    Function<CalendarEvent, AuditEvent> auditOf) {
        Written written = Transactions.inTransaction(dataSource, connection -> {
            Optional<CalendarEvent> updated = events.updateIfUnchanged(connection, row, read.updatedAt());
            return updated.isEmpty() ? null
                    : new Written(updated.get(), append(connection, auditOf.apply(updated.get())));
        });
        if (written == null) {
            return Optional.empty();
        }
        publish(written);
        return Optional.of(written.row());
    }

    private static AuditEvent append(Connection connection, AuditEvent event) throws SQLException {
        AuditOutbox.append(connection, event);
        return event;
    }

    private void publish(Written written) {
        if (written.event() != null) {
            // The response does not wait for the queue; what the publish cannot send, the relay does.
            audit.publishInBackground(List.of(written.event().eventId()));
        }
    }

    /** @param event the audit event appended with the write, or null when none was */
    private record Written(CalendarEvent row, AuditEvent event) {
    }

    /**
     * Google's copy changed since we last saw it. If it already holds what we asked for (our own
     * earlier attempt landed), that is success; otherwise the mirror catches up with Google and
     * the caller gets 409 with the current state, to re-apply their change knowingly.
     */
    private Event resolveConflict(CalendarEvent current, Event patch, Principal caller, RequestOrigin origin) {
        Event latest;
        try {
            latest = google.get(current.calendarId(), current.googleEventId());
        } catch (GoogleCalendarException e) {
            throw googleFailure("read the event", e);
        }
        if (alreadyApplied(patch, latest)) {
            return latest;
        }
        GoogleEventSnapshot g = GoogleEvents.snapshot(latest);
        CalendarEvent refreshed = updateWithAudit(current, mirror(current, g, current.entityType(), current.entityId()),
                after -> CalendarAudit.changed("sync_conflict", current, after, caller.userId(), origin, clock.instant()))
                .orElseGet(() -> get(current.id()));
        throw ApiException.conflict("The event was changed in Google Calendar meanwhile; review the current state and retry.",
                Map.of("current", EventView.of(refreshed, false)));
    }

    private static boolean alreadyApplied(Event patch, Event latest) {
        GoogleEventSnapshot want = GoogleEvents.snapshot(patch);
        GoogleEventSnapshot have = GoogleEvents.snapshot(latest);
        return (patch.getSummary() == null || Objects.equals(want.summary(), have.summary()))
                && (patch.getDescription() == null || Objects.equals(want.description(), have.description()))
                && (patch.getStart() == null || Objects.equals(want.start(), have.start()))
                && (patch.getEnd() == null || Objects.equals(want.end(), have.end()))
                && (patch.getAttendees() == null || want.attendees().stream().map(a -> a.email()).toList()
                        .equals(have.attendees().stream().map(a -> a.email()).toList()))
                && (patch.getExtendedProperties() == null || want.privateProperties().equals(have.privateProperties()));
    }

    private CalendarEvent mirror(CalendarEvent current, GoogleEventSnapshot g, EntityType entityType, String entityId) {
        return new CalendarEvent(current.id(), current.googleEventId(), current.calendarId(),
                Objects.requireNonNullElse(g.summary(), current.summary()), g.description(), g.start(), g.end(),
                g.meetLink(), g.conferenceStatus() == ConferenceStatus.NONE ? current.conferenceStatus() : g.conferenceStatus(),
                g.htmlLink(), g.status(), g.organizerEmail(), g.attendees(), entityType, entityId, current.createdBy(),
                current.idempotencyKey(), current.requestHash(), g.etag(), g.updated(), current.createdAt(), clock.instant());
    }

    private static Map<String, String> privateProperties(CalendarEvent current, EntityType type, String id) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PROP_EVENT_ID, current.id());
        properties.put(PROP_CREATED_BY, current.createdBy());
        properties.put(PROP_ENTITY_TYPE, type == null ? "" : type.wire());
        properties.put(PROP_ENTITY_ID, id == null ? "" : id);
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
