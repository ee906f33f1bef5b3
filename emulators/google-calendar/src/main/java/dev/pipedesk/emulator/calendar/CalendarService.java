package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The calendars and their events: the Calendar v3 events semantics (soft deletes, etags,
 * sequence, conference creation, sync and page tokens). One lock guards all state; every
 * committed change is reported to the {@link ChangeListener} after the lock is released, once
 * per change.
 */
final class CalendarService {

    interface ChangeListener {
        void calendarChanged(String calendarId);
    }

    /** An events.get answer: the event, or "not modified" for a matching If-None-Match. */
    record GetResult(ObjectNode event) {
        boolean notModified() {
            return event == null;
        }
    }

    private enum WriteKind { INSERT, UPDATE, PATCH }

    private record ConferencePlan(ObjectNode data, String hangoutLink, int pendingReads, boolean pending) {
        static final ConferencePlan NONE = new ConferencePlan(null, null, 0, false);
    }

    private static final DateTimeFormatter SECONDS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, CalendarState> calendars = new LinkedHashMap<>();
    private final Timeline timeline = new Timeline();
    private final SyncTokens syncTokens = new SyncTokens();
    private final SecureRandom random = new SecureRandom();
    private final Conferences conferences;
    private final Switches switches;
    private final ChangeListener listener;
    private int emptyPagesToInject;
    private volatile String lastPrimaryOwner;

    CalendarService(Conferences conferences, Switches switches, ChangeListener listener) {
        this.conferences = conferences;
        this.switches = switches;
        this.listener = listener;
    }

    /** {@code primary} is the acting identity's own calendar, whose id is its email. */
    String resolveCalendarId(String calendarId, Identity identity) {
        if ("primary".equals(calendarId)) {
            lastPrimaryOwner = identity.email();
            return identity.email();
        }
        return calendarId;
    }

    /** For the control API: {@code primary} means the calendar last reached as {@code primary}. */
    String resolveControlCalendarId(String calendarId) {
        String owner = lastPrimaryOwner;
        return "primary".equals(calendarId) && owner != null ? owner : calendarId;
    }

    // --- events ---------------------------------------------------------------------------------

    ObjectNode insert(String calendarId, Identity actor, ObjectNode body, int conferenceDataVersion) {
        return withCalendar(calendarId, cal -> {
            String id = EventJson.text(body, "id");
            if (id != null && !Ids.isValidGoogleEventId(id)) {
                throw GoogleApiError.invalidResourceId();
            }
            StoredEvent existing = id == null ? null : cal.events.get(id);
            if (existing != null && (!existing.cancelled() || switches.rejectReusedDeletedIds)) {
                throw GoogleApiError.duplicate();
            }
            if (id == null) {
                id = newEventId(cal);
            }
            ObjectNode resource = EventJson.writableFields(body);
            EventJson.validateTimes(resource);
            checkAttendees(actor, body);
            long sequence = body.path("sequence").asLong(0);
            if (sequence < 0) {
                throw GoogleApiError.invalidSequence();
            }
            ConferencePlan conference = planConference(cal, actor, null, body, conferenceDataVersion, WriteKind.INSERT);

            Instant now = timeline.tick();
            String iCalUid = EventJson.text(body, "iCalUID");
            resource.put("kind", "calendar#event");
            resource.put("id", id);
            if (EventJson.text(resource, "status") == null) {
                resource.put("status", "confirmed");
            }
            resource.put("htmlLink", htmlLink(id, cal.id));
            resource.put("created", Timeline.rfc3339(now));
            resource.set("creator", person(actor.email()));
            resource.set("organizer", person(actor.email()));
            resource.put("iCalUID", iCalUid != null ? iCalUid : id + "@google.com");
            resource.put("sequence", sequence);
            if (!resource.has("reminders")) {
                resource.putObject("reminders").put("useDefault", true);
            }
            if (!resource.has("eventType")) {
                resource.put("eventType", "default");
            }
            applyConference(resource, conference);

            StoredEvent event = existing != null ? existing : new StoredEvent(id, ++cal.inserts);
            commit(cal, event, resource, now, conference);
            ObjectNode response = event.resource.deepCopy();
            if (conference.pending() && conference.pendingReads() == 0) {
                resolveConference(cal, event);
            }
            return response;
        });
    }

    GetResult get(String calendarId, String eventId, String ifNoneMatch) {
        return withCalendar(calendarId, cal -> {
            StoredEvent event = find(cal, eventId);
            boolean notModified = ifNoneMatch != null && etagMatches(event, ifNoneMatch);
            ObjectNode response = notModified ? null : event.resource.deepCopy();
            if (event.pendingConferenceReads > 0 && --event.pendingConferenceReads == 0) {
                resolveConference(cal, event);
            }
            return new GetResult(response);
        });
    }

    ObjectNode update(String calendarId, String eventId, Identity actor, ObjectNode body,
                      int conferenceDataVersion, String ifMatch) {
        return withCalendar(calendarId, cal -> {
            StoredEvent event = findWritable(cal, eventId, body, ifMatch);
            ObjectNode next = EventJson.writableFields(body);
            if (EventJson.text(next, "status") == null) {
                next.put("status", "confirmed");
            }
            keepServerFields(event.resource, next);
            if (!next.has("eventType") && event.resource.has("eventType")) {
                next.set("eventType", event.resource.get("eventType").deepCopy());
            }
            return write(cal, event, next, actor, body, conferenceDataVersion, WriteKind.UPDATE);
        });
    }

    ObjectNode patch(String calendarId, String eventId, Identity actor, ObjectNode body,
                     int conferenceDataVersion, String ifMatch) {
        return withCalendar(calendarId, cal -> {
            StoredEvent event = findWritable(cal, eventId, body, ifMatch);
            ObjectNode next = event.resource.deepCopy();
            EventJson.mergePatch(next, EventJson.writableFields(body));
            return write(cal, event, next, actor, body, conferenceDataVersion, WriteKind.PATCH);
        });
    }

    void delete(String calendarId, String eventId, String ifMatch) {
        withCalendar(calendarId, cal -> {
            StoredEvent event = find(cal, eventId);
            if (event.cancelled()) {
                throw GoogleApiError.deleted();
            }
            checkIfMatch(event, ifMatch);
            ObjectNode next = event.resource.deepCopy();
            next.put("status", "cancelled");
            commit(cal, event, next, timeline.tick(), null);
            event.pendingConferenceReads = 0;
            return null;
        });
    }

    ObjectNode list(String calendarId, ListQuery query) {
        return withCalendar(calendarId, cal -> {
            long since = query.syncToken() == null ? -1
                    : syncTokens.validate(query.syncToken(), cal.id, query.syncFilterSignature(), cal.seq).s();
            long snapshot = cal.seq;
            long afterKey = Long.MIN_VALUE;
            String afterId = "";
            if (query.pageToken() != null) {
                SyncTokens.PageToken page = syncTokens.decodePage(query.pageToken());
                if (!page.c().equals(cal.id) || !page.q().equals(query.querySignature())) {
                    throw GoogleApiError.invalidParameter("pageToken",
                            "Invalid page token value: it belongs to another query.");
                }
                snapshot = page.s();
                afterKey = page.k();
                afterId = page.i();
            }
            long snapshotSeq = snapshot;
            long cursorKey = afterKey;
            String cursorId = afterId;
            // Events changed after the listing started are left to the next sync token, so the
            // remaining set cannot shift under the cursor.
            List<StoredEvent> remaining = cal.events.values().stream()
                    .filter(e -> e.changeSeq <= snapshotSeq && e.changeSeq > since)
                    .filter(query::matches)
                    .filter(e -> after(query.sortKey(e), e.id, cursorKey, cursorId))
                    .sorted(Comparator.comparingLong(query::sortKey).thenComparing(e -> e.id))
                    .toList();

            boolean emptyPage = emptyPagesToInject > 0;
            if (emptyPage) {
                emptyPagesToInject--;
            }
            List<StoredEvent> page = emptyPage ? List.of()
                    : remaining.subList(0, Math.min(query.maxResults(), remaining.size()));
            boolean more = emptyPage || remaining.size() > page.size();

            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("kind", "calendar#events");
            out.put("etag", Timeline.etag(cal.lastChange));
            out.put("summary", cal.id);
            out.put("description", "");
            out.put("updated", Timeline.rfc3339(cal.lastChange));
            out.put("timeZone", "UTC");
            out.put("accessRole", "owner");
            out.putArray("defaultReminders").addObject().put("method", "popup").put("minutes", 10);
            if (more) {
                StoredEvent last = page.isEmpty() ? null : page.getLast();
                long nextKey = last == null ? cursorKey : query.sortKey(last);
                String nextId = last == null ? cursorId : last.id;
                out.put("nextPageToken", syncTokens.encodePage(
                        syncTokens.newPageToken(cal.id, snapshotSeq, query.querySignature(), nextKey, nextId)));
            } else {
                out.put("nextSyncToken",
                        syncTokens.issue(cal.id, snapshotSeq, query.syncFilterSignature(), Instant.now()));
            }
            ArrayNode items = out.putArray("items");
            for (StoredEvent event : page) {
                items.add(listed(event));
            }
            return out;
        });
    }

    /**
     * calendars.get: the calendar's metadata. Every id names a calendar (as for the events
     * routes, a calendar comes into being when it is first used), so this never answers 404.
     */
    ObjectNode calendar(String calendarId) {
        return withCalendar(calendarId, cal -> {
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("kind", "calendar#calendar");
            out.put("etag", Timeline.etag(cal.created));
            out.put("id", cal.id);
            out.put("summary", cal.id);
            out.put("timeZone", "UTC");
            return out;
        });
    }

    /** The resourceId shared by every channel on this calendar's events. */
    String resourceIdOf(String calendarId) {
        return withCalendar(calendarId, cal -> cal.resourceId);
    }

    // --- control --------------------------------------------------------------------------------

    ObjectNode editAsUser(String calendarId, String eventId, ExternalEdit edit) {
        return withCalendar(calendarId, cal -> {
            StoredEvent event = find(cal, eventId);
            ObjectNode next = event.resource.deepCopy();
            putIfSet(next, "summary", edit.summary());
            putIfSet(next, "description", edit.description());
            putIfSet(next, "location", edit.location());
            putIfSet(next, "status", edit.status());
            if (edit.start() != null) {
                setDateTime(next, "start", edit.start());
            }
            if (edit.end() != null) {
                setDateTime(next, "end", edit.end());
            }
            if (!edit.attendeeResponses().isEmpty()) {
                ArrayNode attendees = next.get("attendees") instanceof ArrayNode existing ? existing : next.putArray("attendees");
                edit.attendeeResponses().forEach((email, response) -> attendee(attendees, email).put("responseStatus", response));
            }
            EventJson.validateTimes(next);
            if (EventJson.significantChange(event.resource, next)) {
                next.put("sequence", event.resource.path("sequence").asLong(0) + 1);
            }
            commit(cal, event, next, timeline.tick(), null);
            return event.resource.deepCopy();
        });
    }

    ObjectNode insertAsUser(String calendarId, String actorEmail, ObjectNode body) {
        return insert(calendarId, Identity.user(actorEmail), body, 1);
    }

    Optional<ObjectNode> event(String calendarId, String eventId) {
        lock.lock();
        try {
            CalendarState cal = calendars.get(calendarId);
            StoredEvent event = cal == null ? null : cal.events.get(eventId);
            return Optional.ofNullable(event).map(e -> e.resource.deepCopy());
        } finally {
            lock.unlock();
        }
    }

    List<ObjectNode> events(String calendarId) {
        lock.lock();
        try {
            CalendarState cal = calendars.get(calendarId);
            return cal == null ? List.of()
                    : cal.events.values().stream().map(e -> e.resource.deepCopy()).toList();
        } finally {
            lock.unlock();
        }
    }

    List<String> calendarIds() {
        lock.lock();
        try {
            return List.copyOf(calendars.keySet());
        } finally {
            lock.unlock();
        }
    }

    boolean invalidateSyncToken(String token) {
        lock.lock();
        try {
            return syncTokens.revoke(token);
        } finally {
            lock.unlock();
        }
    }

    void invalidateSyncTokens(String calendarId) {
        lock.lock();
        try {
            syncTokens.revokeCalendar(calendarId);
        } finally {
            lock.unlock();
        }
    }

    void invalidateSyncTokensIssuedBefore(Instant instant) {
        lock.lock();
        try {
            syncTokens.revokeIssuedBefore(instant);
        } finally {
            lock.unlock();
        }
    }

    void injectEmptyPages(int count) {
        lock.lock();
        try {
            emptyPagesToInject = Math.max(0, count);
        } finally {
            lock.unlock();
        }
    }

    void reset() {
        lock.lock();
        try {
            calendars.clear();
            syncTokens.revokeAll();
            emptyPagesToInject = 0;
            lastPrimaryOwner = null;
        } finally {
            lock.unlock();
        }
    }

    // --- internals ------------------------------------------------------------------------------

    private <T> T withCalendar(String calendarId, Function<CalendarState, T> operation) {
        T result;
        long changes;
        lock.lock();
        try {
            CalendarState cal = calendars.computeIfAbsent(calendarId,
                    id -> new CalendarState(id, newResourceId(), timeline.tick()));
            long before = cal.seq;
            try {
                result = operation.apply(cal);
            } finally {
                changes = cal.seq - before;
            }
        } finally {
            lock.unlock();
        }
        for (long i = 0; i < changes; i++) {
            listener.calendarChanged(calendarId);
        }
        return result;
    }

    private ObjectNode write(CalendarState cal, StoredEvent event, ObjectNode next, Identity actor, ObjectNode body,
                             int conferenceDataVersion, WriteKind kind) {
        EventJson.validateTimes(next);
        checkAttendees(actor, body);
        long stored = event.resource.path("sequence").asLong(0);
        long sequence = EventJson.significantChange(event.resource, next) ? stored + 1 : stored;
        JsonNode requested = body.get("sequence");
        if (requested != null && !requested.isNull()) {
            if (requested.asLong() < stored) {
                throw GoogleApiError.invalidSequence();
            }
            sequence = Math.max(sequence, requested.asLong());
        }
        next.put("sequence", sequence);
        ConferencePlan conference = planConference(cal, actor, event, body, conferenceDataVersion, kind);
        applyConference(next, conference);
        commit(cal, event, next, timeline.tick(), conference);
        ObjectNode response = event.resource.deepCopy();
        if (conference.pending() && conference.pendingReads() == 0) {
            resolveConference(cal, event);
        }
        return response;
    }

    /** Stamps etag and updated, orders the fields and records the change. */
    private void commit(CalendarState cal, StoredEvent event, ObjectNode resource, Instant now, ConferencePlan conference) {
        resource.put("etag", Timeline.etag(now));
        resource.put("updated", Timeline.rfc3339(now));
        event.resource = EventJson.canonical(resource);
        if (conference != null) {
            event.pendingConferenceReads = conference.pending() ? conference.pendingReads() : 0;
        }
        cal.commit(event, now);
    }

    /** A pending conference turns to success: a change of its own (etag, updated, notification). */
    private void resolveConference(CalendarState cal, StoredEvent event) {
        event.pendingConferenceReads = 0;
        String requestId = EventJson.text(event.resource.path("conferenceData").path("createRequest"), "requestId");
        ObjectNode next = event.resource.deepCopy();
        ObjectNode data = conferences.success(requestId);
        next.set("conferenceData", data);
        next.put("hangoutLink", Conferences.meetLink(data));
        commit(cal, event, next, timeline.tick(), null);
    }

    /**
     * Google's conferenceDataVersion rules: version 0 never touches the stored conference; version
     * 1 creates one for a new createRequest (the same requestId again is ignored), copies given
     * conference data, and removes it on a full update without it.
     */
    private ConferencePlan planConference(CalendarState cal, Identity actor, StoredEvent existing, ObjectNode body,
                                          int conferenceDataVersion, WriteKind kind) {
        ConferencePlan keep = existing == null ? ConferencePlan.NONE : new ConferencePlan(
                existing.resource.get("conferenceData") instanceof ObjectNode data ? data.deepCopy() : null,
                EventJson.text(existing.resource, "hangoutLink"),
                existing.pendingConferenceReads,
                existing.pendingConferenceReads > 0);
        if (conferenceDataVersion == 0) {
            return keep;
        }
        JsonNode requested = body.get("conferenceData");
        if (requested == null) {
            return kind == WriteKind.PATCH ? keep : ConferencePlan.NONE;
        }
        if (requested.isNull()) {
            return ConferencePlan.NONE;
        }
        if (!requested.isObject()) {
            throw GoogleApiError.invalid("Invalid conference data.");
        }
        JsonNode create = requested.get("createRequest");
        if (create == null || !create.isObject()) {
            ObjectNode copy = ((ObjectNode) requested).deepCopy();
            return new ConferencePlan(copy, Conferences.meetLink(copy), 0, false);
        }
        String requestId = EventJson.text(create, "requestId");
        String storedRequestId = keep.data() == null ? null
                : EventJson.text(keep.data().path("createRequest"), "requestId");
        if (requestId != null && requestId.equals(storedRequestId)) {
            return keep;
        }
        String type = EventJson.text(create.path("conferenceSolutionKey"), "type");
        if (type != null && !Conferences.MEET.equals(type)) {
            throw GoogleApiError.invalidConferenceType();
        }
        if (switches.meetRequiresDelegation && actor.undelegatedServiceAccount()) {
            throw GoogleApiError.invalidConferenceType();
        }
        String id = requestId != null ? requestId : conferences.newRequestId();
        return switch (conferences.take(cal.id)) {
            case ConferenceMode.Success s -> {
                ObjectNode data = conferences.success(id);
                yield new ConferencePlan(data, Conferences.meetLink(data), 0, false);
            }
            case ConferenceMode.Pending p -> new ConferencePlan(conferences.pending(id), null, p.getReads(), true);
            case ConferenceMode.Failure f -> new ConferencePlan(conferences.failure(id), null, 0, false);
        };
    }

    private static void applyConference(ObjectNode resource, ConferencePlan plan) {
        if (plan.data() == null) {
            resource.remove("conferenceData");
            resource.remove("hangoutLink");
            return;
        }
        resource.set("conferenceData", plan.data());
        if (plan.hangoutLink() != null) {
            resource.put("hangoutLink", plan.hangoutLink());
        } else {
            resource.remove("hangoutLink");
        }
    }

    private void checkAttendees(Identity actor, ObjectNode body) {
        JsonNode attendees = body.get("attendees");
        if (switches.attendeesRequireDelegation && actor.undelegatedServiceAccount()
                && attendees != null && attendees.isArray() && !attendees.isEmpty()) {
            throw GoogleApiError.forbiddenForServiceAccounts();
        }
    }

    /** Writes to a deleted event are refused unless they restore it with a live status. */
    /** The event an update or patch writes, once its If-Match and the cancelled-event rule allow the write. */
    private StoredEvent findWritable(CalendarState cal, String eventId, ObjectNode body, String ifMatch) {
        StoredEvent event = find(cal, eventId);
        checkIfMatch(event, ifMatch);
        checkWriteToCancelled(event, body);
        return event;
    }

    private void checkWriteToCancelled(StoredEvent event, ObjectNode body) {
        if (!event.cancelled() || !switches.forbidWritesToCancelledEvents) {
            return;
        }
        String status = EventJson.text(body, "status");
        if (status == null || status.equals("cancelled")) {
            throw GoogleApiError.forbidden();
        }
    }

    private static void checkIfMatch(StoredEvent event, String ifMatch) {
        if (ifMatch != null && !etagMatches(event, ifMatch)) {
            throw GoogleApiError.conditionNotMet();
        }
    }

    private static boolean etagMatches(StoredEvent event, String header) {
        for (String candidate : header.split(",")) {
            String value = candidate.trim();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.equals("*") || value.equals(event.etag())) {
                return true;
            }
        }
        return false;
    }

    private static void keepServerFields(ObjectNode stored, ObjectNode next) {
        for (String field : List.of("kind", "id", "htmlLink", "created", "creator", "organizer", "iCalUID")) {
            JsonNode value = stored.get(field);
            if (value != null) {
                next.set(field, value.deepCopy());
            }
        }
    }

    private static StoredEvent find(CalendarState cal, String eventId) {
        StoredEvent event = cal.events.get(eventId);
        if (event == null) {
            throw GoogleApiError.notFound();
        }
        return event;
    }

    private ObjectNode listed(StoredEvent event) {
        if (event.cancelled() && switches.minimalTombstones) {
            ObjectNode tombstone = Json.MAPPER.createObjectNode();
            tombstone.put("kind", "calendar#event");
            tombstone.put("etag", event.etag());
            tombstone.put("id", event.id);
            tombstone.put("status", "cancelled");
            return tombstone;
        }
        return event.resource.deepCopy();
    }

    private static boolean after(long key, String id, long afterKey, String afterId) {
        return key > afterKey || (key == afterKey && id.compareTo(afterId) > 0);
    }

    private String newEventId(CalendarState cal) {
        String id;
        do {
            id = Ids.newGoogleEventId();
        } while (cal.events.containsKey(id));
        return id;
    }

    private String newResourceId() {
        byte[] bytes = new byte[17];
        random.nextBytes(bytes);
        return Ids.base32hex(bytes);
    }

    private static String htmlLink(String eventId, String calendarId) {
        String eid = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((eventId + " " + calendarId).getBytes(StandardCharsets.UTF_8));
        return "https://www.google.com/calendar/event?eid=" + eid;
    }

    private static ObjectNode person(String email) {
        ObjectNode person = Json.MAPPER.createObjectNode();
        person.put("email", email);
        person.put("self", true);
        return person;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void setDateTime(ObjectNode resource, String field, Instant instant) {
        ObjectNode time = resource.get(field) instanceof ObjectNode existing ? existing : resource.putObject(field);
        time.remove("date");
        time.put("dateTime", SECONDS_UTC.format(instant));
        if (!time.has("timeZone")) {
            time.put("timeZone", "UTC");
        }
    }

    private static ObjectNode attendee(ArrayNode attendees, String email) {
        for (JsonNode attendee : attendees) {
            String existing = EventJson.text(attendee, "email");
            if (attendee instanceof ObjectNode object && existing != null
                    && existing.toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT))) {
                return object;
            }
        }
        return attendees.addObject().put("email", email);
    }
}
