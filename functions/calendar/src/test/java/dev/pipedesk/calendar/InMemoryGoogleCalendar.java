package dev.pipedesk.calendar;

import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.google.EventDraft;
import dev.pipedesk.google.EventPatch;
import dev.pipedesk.google.GoogleCalendar;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleEventSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Google Calendar in memory, for fast tests of the calendar service: the rules the service
 * relies on (client-chosen ids and the request marker, etags with If-Match, soft deletes and
 * 410 on a second delete, Meet conferences created asynchronously), plus test controls: failures,
 * lost answers, edits by other Google users, and something to run just before the next call
 * (another request getting there first).
 */
final class InMemoryGoogleCalendar implements GoogleCalendar {
    static final String ORGANIZER = "calendar@example.com";

    private final Clock clock;
    private final Map<String, GoogleEventSnapshot> events = new LinkedHashMap<>();
    /** What happens to the next calls, in order: a failure instead of the call, or a lost answer after it. */
    private final Deque<Outcome> outcomes = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();
    private final List<EventPatch> patches = new ArrayList<>();
    private ConferenceStatus conferenceOnInsert = ConferenceStatus.SUCCESS;
    private Runnable beforeNextCall;
    private Runnable afterNextCall;
    private boolean answerLost;
    private long lastEtag;

    InMemoryGoogleCalendar(Clock clock) {
        this.clock = clock;
    }

    @Override
    public GoogleEventSnapshot insert(String calendarId, EventDraft draft) {
        call("insert");
        GoogleEventSnapshot existing = events.get(key(calendarId, draft.eventId()));
        if (existing != null) {
            String marker = draft.privateProperties().get(REQUEST_MARKER);
            if (marker != null && marker.equals(existing.privateProperties().get(REQUEST_MARKER))) {
                return answer("insert", existing);
            }
            throw new GoogleCalendarException.Duplicate("duplicate", "The requested identifier already exists.", null);
        }
        ConferenceStatus conference = draft.wantsMeet() ? conferenceOnInsert : ConferenceStatus.NONE;
        GoogleEventSnapshot created = new GoogleEventSnapshot(draft.eventId(), nextEtag(), EventStatus.CONFIRMED,
                draft.summary(), draft.description(), draft.start(), draft.end(),
                conference == ConferenceStatus.SUCCESS ? meetLink(draft.eventId()) : null, conference,
                "https://calendar.google.com/event?eid=" + draft.eventId(), ORGANIZER,
                draft.attendeeEmails().stream().map(Attendee::invited).toList(), draft.privateProperties(),
                clock.instant(), null);
        events.put(key(calendarId, created.id()), created);
        return answer("insert", created);
    }

    /** A pending conference succeeds on the first re-read. */
    @Override
    public GoogleEventSnapshot awaitConference(String calendarId, GoogleEventSnapshot event) {
        calls.add("awaitConference");
        if (event.conferenceStatus() != ConferenceStatus.PENDING) {
            return event;
        }
        GoogleEventSnapshot stored = events.get(key(calendarId, event.id()));
        return replace(calendarId, stored, stored.summary(), stored.description(), stored.start(), stored.end(),
                stored.attendees(), stored.privateProperties(), stored.status(), meetLink(stored.id()),
                ConferenceStatus.SUCCESS);
    }

    @Override
    public GoogleEventSnapshot get(String calendarId, String eventId) {
        call("get");
        return answer("get", stored(calendarId, eventId));
    }

    @Override
    public GoogleEventSnapshot patch(String calendarId, String eventId, EventPatch patch, String ifMatchEtag) {
        call("patch");
        GoogleEventSnapshot e = stored(calendarId, eventId);
        if (ifMatchEtag != null && !ifMatchEtag.equals(e.etag())) {
            throw new GoogleCalendarException.PreconditionFailed("conditionNotMet", "Precondition Failed", null);
        }
        patches.add(patch);
        List<String> emails = e.attendees().stream().map(Attendee::email).toList();
        List<String> newEmails = patch.attendeeEmails().applyTo(emails);
        Map<String, String> properties = new LinkedHashMap<>(e.privateProperties());
        switch (patch.privateProperties()) {
            case FieldChange.Keep<Map<String, String>> keep -> { }
            case FieldChange.Clear<Map<String, String>> clear -> properties.clear();
            case FieldChange.Set<Map<String, String>>(Map<String, String> merged) -> properties.putAll(merged);
        }
        return answer("patch", replace(calendarId, e, patch.summary().applyTo(e.summary()),
                patch.description().applyTo(e.description()), patch.start().applyTo(e.start()),
                patch.end().applyTo(e.end()),
                newEmails == null ? List.of() : newEmails.stream().map(Attendee::invited).toList(), properties,
                e.status(), e.meetLink(), e.conferenceStatus()));
    }

    @Override
    public void delete(String calendarId, String eventId) {
        call("delete");
        GoogleEventSnapshot e = stored(calendarId, eventId);
        if (e.status() == EventStatus.CANCELLED) {
            throw new GoogleCalendarException.Gone("deleted", "Resource has been deleted", null);
        }
        replace(calendarId, e, e.summary(), e.description(), e.start(), e.end(), e.attendees(), e.privateProperties(),
                EventStatus.CANCELLED, e.meetLink(), e.conferenceStatus());
        answer("delete", null);
    }

    // ---- test controls ----

    private record Outcome(GoogleCalendarException failure) {
        static final Outcome ANSWER_LOST = new Outcome(null);
    }

    /** The next call fails with this, unprocessed (queued with lost answers; each used once, in order). */
    void failNext(GoogleCalendarException failure) {
        outcomes.add(new Outcome(failure));
    }

    /**
     * The next call is carried out, but its answer is lost on the way back (the connection
     * dropped after Google committed): it fails as Unavailable with no status, which may have
     * been applied.
     */
    void loseNextAnswer() {
        outcomes.add(Outcome.ANSWER_LOST);
    }

    /** How Meet answers the next inserts that ask for it. */
    void conferenceOnInsert(ConferenceStatus status) {
        conferenceOnInsert = status;
    }

    /** Runs just before the next call is processed: another request getting there first. */
    void beforeNextCall(Runnable action) {
        beforeNextCall = action;
    }

    /** Runs just after the next call was carried out, before its answer returns: a writer that follows it. */
    void afterNextCall(Runnable action) {
        afterNextCall = action;
    }

    /** Another Google user changes the summary: a new etag. */
    void editAsSomeoneElse(String calendarId, String eventId, String summary) {
        GoogleEventSnapshot e = stored(calendarId, eventId);
        replace(calendarId, e, summary, e.description(), e.start(), e.end(), e.attendees(), e.privateProperties(),
                e.status(), e.meetLink(), e.conferenceStatus());
    }

    /** Someone deletes the event directly in Google Calendar. */
    void deleteAsSomeoneElse(String calendarId, String eventId) {
        GoogleEventSnapshot e = stored(calendarId, eventId);
        replace(calendarId, e, e.summary(), e.description(), e.start(), e.end(), e.attendees(), e.privateProperties(),
                EventStatus.CANCELLED, e.meetLink(), e.conferenceStatus());
    }

    /** Someone else's event, made directly in Google Calendar under this id. */
    void insertAsSomeoneElse(String calendarId, String eventId, String summary, Instant start, Instant end) {
        events.put(key(calendarId, eventId), new GoogleEventSnapshot(eventId, nextEtag(), EventStatus.CONFIRMED, summary,
                null, start, end, null, ConferenceStatus.NONE, null, "someone@example.com", List.of(), Map.of(),
                clock.instant(), null));
    }

    Optional<GoogleEventSnapshot> event(String calendarId, String eventId) {
        return Optional.ofNullable(events.get(key(calendarId, eventId)));
    }

    List<GoogleEventSnapshot> events() {
        return List.copyOf(events.values());
    }

    /** The calls made, by name (insert, awaitConference, get, patch, delete), in order. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    /** The patches that reached an event, in order. */
    List<EventPatch> patches() {
        return List.copyOf(patches);
    }

    private void call(String name) {
        calls.add(name);
        Runnable action = beforeNextCall;
        beforeNextCall = null;
        if (action != null) {
            action.run();
        }
        Outcome outcome = outcomes.poll();
        if (outcome != null && outcome.failure() != null) {
            throw outcome.failure();
        }
        answerLost = outcome == Outcome.ANSWER_LOST;
    }

    /** The call's answer, unless it is to be lost. */
    private <T> T answer(String name, T result) {
        Runnable action = afterNextCall;
        afterNextCall = null;
        if (action != null) {
            action.run();
        }
        if (answerLost) {
            answerLost = false;
            throw new GoogleCalendarException.Unavailable(0, "network", "Google events." + name + " got no response",
                    null, true);
        }
        return result;
    }

    private GoogleEventSnapshot stored(String calendarId, String eventId) {
        GoogleEventSnapshot e = events.get(key(calendarId, eventId));
        if (e == null) {
            throw new GoogleCalendarException.NotFound("notFound", "Not Found", null);
        }
        return e;
    }

    private GoogleEventSnapshot replace(String calendarId, GoogleEventSnapshot e, String summary, String description,
                                        Instant start, Instant end, List<Attendee> attendees,
                                        Map<String, String> properties, EventStatus status, String meetLink,
                                        ConferenceStatus conference) {
        GoogleEventSnapshot changed = new GoogleEventSnapshot(e.id(), nextEtag(), status, summary, description, start,
                end, meetLink, conference, e.htmlLink(), e.organizerEmail(), attendees, Map.copyOf(properties),
                clock.instant(), e.visibility());
        events.put(key(calendarId, e.id()), changed);
        return changed;
    }

    private String nextEtag() {
        return "\"" + ++lastEtag + "\"";
    }

    private static String meetLink(String eventId) {
        return "https://meet.google.com/" + eventId;
    }

    private static String key(String calendarId, String eventId) {
        return calendarId + "/" + eventId;
    }
}
