package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EventView;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.google.EventPatch;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleEventSnapshot;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.http.EntityTag;
import dev.pipedesk.http.IfMatch;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.EventQuery;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The calendar service's behaviour against in-memory Google Calendar and mirror (fast; the
 * real PostgreSQL, emulator and queue are exercised by ConcurrentWritesTest and the local
 * stack's end-to-end tests).
 */
class CalendarServiceTest {
    private static final Instant NOW = Instant.parse("2030-01-15T09:00:00Z");
    private static final Instant START = Instant.parse("2030-02-01T14:00:00Z");
    private static final Instant END = START.plusSeconds(3600);
    private static final Principal SALES = new Principal("sales-1", "sales@example.com", Role.SALES);
    private static final Principal OTHER_SALES = new Principal("sales-2", "other@example.com", Role.SALES);
    private static final Principal MANAGER = new Principal("manager-1", "manager@example.com", Role.MANAGER);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-1", "203.0.113.7", "test");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryGoogleCalendar google = new InMemoryGoogleCalendar(clock);
    private final InMemoryEventStore store = new InMemoryEventStore();
    private static final WritableCalendars CALENDARS = new WritableCalendars("primary", Set.of("primary", "team@example.com"));
    private static final Principal CLIENT = new Principal("client-1", "Buyer@Example.com", Role.CLIENT);
    private static final Principal OTHER_CLIENT = new Principal("client-2", "someone@example.com", Role.CLIENT);
    private static final Principal CLIENT_WITHOUT_EMAIL = new Principal("client-3", null, Role.CLIENT);
    private static final Principal VIEWER = new Principal("viewer-1", "viewer@example.com", Role.VIEWER);

    private final CalendarService service = new CalendarService(store, google, CALENDARS, clock);

    private static NewEvent meeting(String summary, boolean meet) {
        return new NewEvent(summary, "Agenda", START, END, List.of("buyer@example.com"), meet, EntityType.DEAL,
                "deal-7", "primary");
    }

    private CalendarEvent created(String summary) {
        return service.create(meeting(summary, false), null, SALES, ORIGIN).event();
    }

    private static EventChanges changes(FieldChange<String> summary, FieldChange<String> description) {
        return new EventChanges(summary, description, FieldChange.keep(), FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep());
    }

    /** Changes only the summary. */
    private static EventChanges rename(String summary) {
        return changes(FieldChange.set(summary), FieldChange.keep());
    }

    /** The meeting's row is as it was created and its creation is all the audit log holds. */
    private void assertOnlyCreated(CalendarEvent meeting) {
        assertThat(service.get(meeting.id())).isEqualTo(meeting);
        assertThat(store.auditActions()).containsExactly("create");
    }

    private static EventChanges times(Instant start, Instant end) {
        return new EventChanges(FieldChange.keep(), FieldChange.keep(), FieldChange.set(start), FieldChange.set(end),
                FieldChange.keep(), FieldChange.keep());
    }

    private static ApiException apiFailure(Runnable call, ErrorCode expected) {
        ApiException e = catchThrowableOfType(ApiException.class, call::run);
        assertThat(e).as("expected an ApiException").isNotNull();
        assertThat(e.errorCode()).isEqualTo(expected);
        return e;
    }

    @SuppressWarnings("unchecked")
    private static List<String> failedFields(ApiException e) {
        return ((List<FieldError>) e.details()).stream().map(FieldError::field).toList();
    }

    private static String currentSummaryIn(ApiException conflict) {
        return ((EventView) ((Map<?, ?>) conflict.details()).get("current")).summary();
    }

    /** The row as another request left it: another summary, a later version. */
    private static CalendarEvent writtenByAnotherRequest(CalendarEvent row, String summary) {
        return new CalendarEvent(row.id(), row.googleEventId(), row.calendarId(), summary, row.description(),
                row.startTime(), row.endTime(), row.meetLink(), row.conferenceStatus(), row.htmlLink(), row.status(),
                row.organizerEmail(), row.attendees(), row.entityType(), row.entityId(), row.createdBy(),
                row.idempotencyKey(), row.requestHash(), row.googleEtag(), row.googleUpdatedAt(), row.createdAt(),
                row.updatedAt().plusSeconds(1));
    }

    // ---- create ----

    @Test
    void createsTheMeetingInGoogleWithAMeetLinkThenMirrorsItWithACreateEvent() {
        CalendarService.Created created = service.create(meeting("Demo", true), null, SALES, ORIGIN);

        CalendarEvent event = created.event();
        assertThat(created.replayed()).isFalse();
        assertThat(event.meetLink()).startsWith("https://meet.google.com/");
        assertThat(event.conferenceStatus()).isEqualTo(ConferenceStatus.SUCCESS);
        assertThat(event.createdBy()).isEqualTo("sales-1");
        assertThat(event.entityType()).isEqualTo(EntityType.DEAL);
        assertThat(event.createdAt()).isEqualTo(NOW);
        GoogleEventSnapshot inGoogle = google.event("primary", event.googleEventId()).orElseThrow();
        assertThat(inGoogle.privateProperties()).containsEntry("pipedesk_event_id", event.id())
                .containsEntry("pipedesk_entity_type", "deal").containsEntry("pipedesk_entity_id", "deal-7");
        assertThat(event.googleEtag()).isEqualTo(inGoogle.etag());
        assertThat(store.rows()).containsExactly(event);
        assertThat(store.audit()).singleElement().satisfies(audit -> {
            assertThat(audit.action()).isEqualTo("create");
            assertThat(audit.entityId()).isEqualTo(event.id());
            assertThat(audit.actor().id()).isEqualTo("sales-1");
            assertThat(audit.requestId()).isEqualTo("req-1");
        });
    }

    @Test
    void waitsForAPendingMeetConferenceBeforeStoring() {
        google.conferenceOnInsert(ConferenceStatus.PENDING);

        CalendarEvent event = service.create(meeting("Pending meet", true), null, SALES, ORIGIN).event();

        assertThat(google.calls()).containsExactly("insert", "awaitConference");
        assertThat(event.conferenceStatus()).isEqualTo(ConferenceStatus.SUCCESS);
        assertThat(event.meetLink()).isNotNull();
    }

    @Test
    void keepsTheMeetingWhenMeetCreationFails() {
        google.conferenceOnInsert(ConferenceStatus.FAILURE);

        CalendarEvent event = service.create(meeting("Failed meet", true), null, SALES, ORIGIN).event();

        assertThat(event.conferenceStatus()).isEqualTo(ConferenceStatus.FAILURE);
        assertThat(event.meetLink()).isNull();
        assertThat(store.rows()).hasSize(1);
    }

    @Test
    void asksForNoConferenceWhenNoMeetLinkIsWanted() {
        CalendarEvent event = created("No meet");

        assertThat(event.conferenceStatus()).isEqualTo(ConferenceStatus.NONE);
        assertThat(google.calls()).containsExactly("insert");
    }

    @Test
    void repeatingACreateWithItsIdempotencyKeyReplaysTheStoredMeetingWithoutCallingGoogle() {
        CalendarService.Created first = service.create(meeting("Idempotent", true), "key-1", SALES, ORIGIN);

        CalendarService.Created repeat = service.create(meeting("Idempotent", true), "key-1", SALES, ORIGIN);

        assertThat(repeat.replayed()).isTrue();
        assertThat(repeat.event()).isEqualTo(first.event());
        assertThat(google.calls()).containsExactly("insert", "awaitConference");
        assertThat(google.events()).hasSize(1);
        assertThat(store.auditActions()).containsExactly("create");
    }

    @Test
    void anIdempotencyKeyIsScopedToItsUser() {
        service.create(meeting("Mine", false), "shared-key", SALES, ORIGIN);

        CalendarService.Created theirs = service.create(meeting("Mine", false), "shared-key", OTHER_SALES, ORIGIN);

        assertThat(theirs.replayed()).isFalse();
        assertThat(store.rows()).hasSize(2);
    }

    @Test
    void anIdempotencyKeyReusedForADifferentRequestIs422() {
        service.create(meeting("First use", false), "key-2", SALES, ORIGIN);

        ApiException reused = apiFailure(() -> service.create(meeting("Other body", false), "key-2", SALES, ORIGIN),
                ErrorCode.VALIDATION_FAILED);

        assertThat(failedFields(reused)).containsExactly("Idempotency-Key");
        assertThat(google.events()).hasSize(1);
    }

    @Test
    void anIdempotencyKeyWhoseGoogleEventAnotherRequestMadeIs422AndStoresNothing() {
        String googleEventId = Ids.googleEventIdFor("sales-1\nkey-3");
        google.insertAsSomeoneElse("primary", googleEventId, "Made by another request", START, END);

        ApiException reused = apiFailure(() -> service.create(meeting("Same key", false), "key-3", SALES, ORIGIN),
                ErrorCode.VALIDATION_FAILED);

        assertThat(failedFields(reused)).containsExactly("Idempotency-Key");
        assertThat(store.rows()).isEmpty();
        assertThat(store.audit()).isEmpty();
    }

    @Test
    void anIdempotencyKeyLongerThan255CharactersIs422() {
        ApiException tooLong = apiFailure(() -> service.create(meeting("Long key", false), "k".repeat(256), SALES, ORIGIN),
                ErrorCode.VALIDATION_FAILED);

        assertThat(failedFields(tooLong)).containsExactly("Idempotency-Key");
        assertThat(google.calls()).isEmpty();
    }

    @Test
    void aCreateWhoseConcurrentTwinStoredTheMeetingFirstAdoptsItWithOneCreateEvent() {
        NewEvent input = meeting("Created twice at once", false);
        // The twin (same key, same body) holds the meeting lock first: it gets to Google and the
        // mirror while this one, past its key lookup, waits for the lock.
        store.beforeNextLock(() -> service.create(input, "key-4", SALES, ORIGIN));

        CalendarService.Created second = service.create(input, "key-4", SALES, ORIGIN);

        assertThat(second.replayed()).isTrue();
        assertThat(store.rows()).containsExactly(second.event());
        assertThat(google.events()).hasSize(1);
        assertThat(store.auditActions()).containsExactly("create");
    }

    static List<Arguments> googleFailures() {
        return List.of(
                Arguments.of(new GoogleCalendarException.Unavailable(503, "backendError", "Backend Error", null),
                        "unavailable", 503, "backendError"),
                Arguments.of(new GoogleCalendarException.Unavailable(0, "network", "no response", null),
                        "unavailable", 0, "network"),
                Arguments.of(new GoogleCalendarException.Rejected(403, "forbiddenForServiceAccounts", "no DWD", null),
                        "refused", 403, "forbiddenForServiceAccounts"));
    }

    @ParameterizedTest
    @MethodSource("googleFailures")
    void aGoogleFailureOnCreateIs502WithGooglesStatusAndReasonAndStoresNothing(GoogleCalendarException failure,
                                                                               String says, int status, String reason) {
        google.failNext(failure);

        ApiException failed = apiFailure(() -> created("Outage"), ErrorCode.UPSTREAM_FAILED);

        assertThat(failed.getMessage()).contains(says);
        assertThat(failed.details()).isEqualTo(Map.of("google_status", status, "google_reason", reason));
        assertThat(store.rows()).isEmpty();
        assertThat(store.audit()).isEmpty();
    }

    @Test
    void aCreateWhoseAnswerFromGoogleWasLostAdoptsTheEventItChoseTheIdOf() {
        google.loseNextAnswer();

        CalendarService.Created created = service.create(meeting("Answer lost", false), null, SALES, ORIGIN);

        assertThat(created.replayed()).isFalse();
        assertThat(google.calls()).containsExactly("insert", "get");
        assertThat(google.events()).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(created.event().googleEventId()));
        assertThat(store.rows()).containsExactly(created.event());
        assertThat(store.auditActions()).containsExactly("create");
    }

    @Test
    void aKeyedCreateWhoseAnswerWasLostAdoptsItsEventToo() {
        google.loseNextAnswer();

        CalendarEvent event = service.create(meeting("Keyed, answer lost", true), "key-lost", SALES, ORIGIN).event();

        assertThat(event.googleEventId()).isEqualTo(Ids.googleEventIdFor("sales-1\nkey-lost"));
        assertThat(event.meetLink()).isNotNull();
        assertThat(google.events()).hasSize(1);
        assertThat(store.auditActions()).containsExactly("create");
    }

    @Test
    void aCreateWithoutAnswerWhoseEventGoogleDoesNotHaveIs502NothingChanged() {
        google.failNext(new GoogleCalendarException.Unavailable(0, "network", "no response", null, true));

        ApiException failed = apiFailure(() -> created("Never arrived"), ErrorCode.UPSTREAM_FAILED);

        assertThat(failed.getMessage()).contains("Nothing was changed");
        assertThat(google.calls()).containsExactly("insert", "get");
        assertThat(store.rows()).isEmpty();
    }

    @Test
    void aCreateWhoseAnswerWasLostAndCannotBeReadBackSaysItMayHaveHappened() {
        google.loseNextAnswer();
        google.failNext(new GoogleCalendarException.Unavailable(503, "backendError", "Backend Error", null));

        ApiException unknown = apiFailure(() -> created("Unknown outcome"), ErrorCode.UPSTREAM_FAILED);

        assertThat(unknown.getMessage()).contains("may have taken effect").doesNotContain("Nothing was changed");
        assertThat(store.rows()).isEmpty();
        assertThat(store.audit()).isEmpty();
    }

    @Test
    void googleRateLimitingACreateIs503WithRetryAfterAndStoresNothing() {
        google.failNext(new GoogleCalendarException.RateLimited(429, "rateLimitExceeded", Duration.ofSeconds(30),
                "Rate Limit Exceeded", null, false));

        ApiException limited = apiFailure(() -> created("Too fast"), ErrorCode.UPSTREAM_RATE_LIMITED);

        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(limited.details()).isEqualTo(Map.of("google_status", 429, "google_reason", "rateLimitExceeded"));
        assertThat(google.calls()).containsExactly("insert");
        assertThat(store.rows()).isEmpty();
    }

    @Test
    void whenTheMirrorCannotBeWrittenACreateWithoutKeyTakesItsGoogleEventBack() {
        store.failNextWrite(new DatabaseException("Transaction failed", new SQLException("connection lost")));

        assertThatThrownBy(() -> created("Mirror down")).isInstanceOf(DatabaseException.class);

        assertThat(google.events()).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.CANCELLED));
    }

    @Test
    void whenTheMirrorCannotBeWrittenACreateWithKeyLeavesItsGoogleEventForTheRetry() {
        store.failNextWrite(new DatabaseException("Transaction failed", new SQLException("connection lost")));
        NewEvent input = meeting("Mirror down, keyed", false);

        assertThatThrownBy(() -> service.create(input, "key-5", SALES, ORIGIN)).isInstanceOf(DatabaseException.class);
        CalendarService.Created retried = service.create(input, "key-5", SALES, ORIGIN);

        assertThat(retried.replayed()).isFalse();
        assertThat(google.events()).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.CONFIRMED));
        assertThat(store.auditActions()).containsExactly("create");
    }

    // ---- update ----

    @Test
    void anUpdateSendsOnlyWhatChangesSetsAndClearsFieldsAndKeepsTheRest() {
        CalendarEvent before = created("Demo");

        CalendarEvent after = service.update(before.id(), changes(FieldChange.set("Renamed"), FieldChange.clear()),
                SALES, ORIGIN);

        assertThat(google.patches()).singleElement().isEqualTo(new EventPatch(FieldChange.set("Renamed"),
                FieldChange.clear(), FieldChange.keep(), FieldChange.keep(), FieldChange.keep(), FieldChange.keep()));
        assertThat(after.summary()).isEqualTo("Renamed");
        assertThat(after.description()).isNull();
        assertThat(after.startTime()).isEqualTo(before.startTime());
        assertThat(after.attendees()).extracting(Attendee::email).containsExactly("buyer@example.com");
        assertThat(after.entityId()).isEqualTo("deal-7");
        assertThat(after.googleEtag()).isNotEqualTo(before.googleEtag());
        assertThat(store.audit()).last().satisfies(audit -> {
            assertThat(audit.action()).isEqualTo("update");
            assertThat(audit.changes()).containsOnlyKeys("summary", "description");
        });
    }

    @Test
    void aRescheduleSendsStartAndEndTogether() {
        CalendarEvent before = created("Moved");

        CalendarEvent after = service.update(before.id(), new EventChanges(FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.set(END.plusSeconds(1800)), FieldChange.keep(), FieldChange.keep()),
                SALES, ORIGIN);

        assertThat(google.patches()).singleElement().satisfies(patch -> {
            assertThat(patch.start()).isEqualTo(FieldChange.set(START));
            assertThat(patch.end()).isEqualTo(FieldChange.set(END.plusSeconds(1800)));
        });
        assertThat(after.endTime()).isEqualTo(END.plusSeconds(1800));
    }

    @Test
    void anUpdateThatChangesNothingAnswersTheStoredMeetingWithoutCallingGoogle() {
        CalendarEvent before = created("Same");

        CalendarEvent after = service.update(before.id(), changes(FieldChange.set("Same"), FieldChange.set("Agenda")),
                SALES, ORIGIN);

        assertThat(after).isEqualTo(before);
        assertThat(google.patches()).isEmpty();
        assertThat(store.auditActions()).containsExactly("create");
    }

    @Test
    void anUpdateReplacesTheAttendeesAndUnlinksTheCrmEntity() {
        CalendarEvent before = created("Relinked");

        CalendarEvent after = service.update(before.id(), new EventChanges(FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.keep(), FieldChange.set(List.of("new@example.com")), FieldChange.clear()),
                SALES, ORIGIN);

        assertThat(after.attendees()).extracting(Attendee::email).containsExactly("new@example.com");
        assertThat(after.entityType()).isNull();
        assertThat(after.entityId()).isNull();
        assertThat(google.event("primary", before.googleEventId()).orElseThrow().privateProperties())
                .containsEntry("pipedesk_entity_type", "").containsEntry("pipedesk_entity_id", "")
                .containsEntry("pipedesk_event_id", before.id());
    }

    @Test
    void updatingAnUnknownMeetingIs404() {
        apiFailure(() -> service.update("no-such-meeting", rename("x"), SALES, ORIGIN),
                ErrorCode.NOT_FOUND);
    }

    @Test
    void anUpdateWhoseMergedTimesEndBeforeTheyStartIs422AndCallsNoGoogle() {
        CalendarEvent before = created("Backwards");

        ApiException invalid = apiFailure(() -> service.update(before.id(), times(END.plusSeconds(60), END), SALES, ORIGIN),
                ErrorCode.VALIDATION_FAILED);

        assertThat(failedFields(invalid)).containsExactly("end_time");
        assertThat(google.patches()).isEmpty();
    }

    @Test
    void salesMayChangeOnlyTheirOwnMeetingsManagersAny() {
        CalendarEvent meeting = created("Owned");

        apiFailure(() -> service.update(meeting.id(), rename("Theirs"),
                OTHER_SALES, ORIGIN), ErrorCode.FORBIDDEN);
        CalendarEvent byManager = service.update(meeting.id(), rename("Managed"),
                MANAGER, ORIGIN);

        assertThat(byManager.summary()).isEqualTo("Managed");
        assertThat(store.audit()).last().satisfies(audit -> assertThat(audit.actor().id()).isEqualTo("manager-1"));
    }

    @Test
    void aCancelledMeetingCannotBeChanged() {
        CalendarEvent meeting = created("Cancelled first");
        service.cancel(meeting.id(), SALES, ORIGIN);

        apiFailure(() -> service.update(meeting.id(), rename("Too late"), SALES, ORIGIN),
                ErrorCode.CONFLICT);
    }

    @Test
    void anUpdateAfterSomeoneChangedTheEventInGoogleIs409WithGooglesVersionMirrored() {
        CalendarEvent before = created("Conflict");
        google.editAsSomeoneElse("primary", before.googleEventId(), "Changed in Google");

        ApiException conflict = apiFailure(() -> service.update(before.id(),
                rename("Changed in PipeDesk"), SALES, ORIGIN), ErrorCode.CONFLICT);

        assertThat(currentSummaryIn(conflict)).isEqualTo("Changed in Google");
        assertThat(service.get(before.id()).summary()).isEqualTo("Changed in Google");
        assertThat(store.auditActions()).containsExactly("create", "sync_conflict");
        assertThat(google.event("primary", before.googleEventId()).orElseThrow().summary()).isEqualTo("Changed in Google");
    }

    @Test
    void anUpdateWhoseChangeGoogleAlreadyHoldsSucceedsDespiteTheNewEtag() {
        CalendarEvent before = created("Landed");
        // An earlier attempt of this very change reached Google, but its answer was lost.
        google.editAsSomeoneElse("primary", before.googleEventId(), "Renamed");

        CalendarEvent after = service.update(before.id(), rename("Renamed"),
                SALES, ORIGIN);

        assertThat(after.summary()).isEqualTo("Renamed");
        assertThat(after.googleEtag()).isEqualTo(google.event("primary", before.googleEventId()).orElseThrow().etag());
        assertThat(store.auditActions()).containsExactly("create", "update");
    }

    @Test
    void anUpdateWhoseMirrorWriteLosesARaceIs409WithTheRowAsItIsNow() {
        CalendarEvent before = created("Raced");
        google.beforeNextCall(() -> store.writeAsAnotherRequest(writtenByAnotherRequest(before, "Concurrent")));

        ApiException conflict = apiFailure(() -> service.update(before.id(),
                rename("Mine"), SALES, ORIGIN), ErrorCode.CONFLICT);

        assertThat(currentSummaryIn(conflict)).isEqualTo("Concurrent");
        assertThat(store.auditActions()).containsExactly("create");
    }

    @Test
    void aGoogleFailureOnUpdateIs502AndLeavesTheRowUnchanged() {
        CalendarEvent before = created("Update outage");
        google.failNext(new GoogleCalendarException.Unavailable(0, "network", "no response", null));

        ApiException failed = apiFailure(() -> service.update(before.id(),
                rename("Never"), SALES, ORIGIN), ErrorCode.UPSTREAM_FAILED);

        assertThat(failed.details()).isEqualTo(Map.of("google_status", 0, "google_reason", "network"));
        assertOnlyCreated(before);
    }

    @Test
    void anUpdateWhoseAnswerFromGoogleWasLostButLandedIs200WithTheChange() {
        CalendarEvent before = created("Patched in the dark");
        google.loseNextAnswer();

        CalendarEvent after = service.update(before.id(), rename("Renamed"),
                SALES, ORIGIN);

        assertThat(after.summary()).isEqualTo("Renamed");
        assertThat(after.googleEtag()).isEqualTo(google.event("primary", before.googleEventId()).orElseThrow().etag());
        assertThat(google.calls()).containsExactly("insert", "patch", "get");
        assertThat(store.auditActions()).containsExactly("create", "update");
    }

    @Test
    void googleRateLimitingAnUpdateIs503WithRetryAfterAndLeavesTheRowUnchanged() {
        CalendarEvent before = created("Update too fast");
        google.failNext(new GoogleCalendarException.RateLimited(403, "userRateLimitExceeded", Duration.ofSeconds(30),
                "User Rate Limit Exceeded", null, false));

        ApiException limited = apiFailure(() -> service.update(before.id(),
                rename("Later"), SALES, ORIGIN), ErrorCode.UPSTREAM_RATE_LIMITED);

        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(30));
        assertOnlyCreated(before);
    }

    // ---- cancel ----

    @Test
    void aCancelWhoseAnswerFromGoogleWasLostButLandedCancelsTheMeeting() {
        CalendarEvent meeting = created("Deleted in the dark");
        google.loseNextAnswer();

        CalendarEvent cancelled = service.cancel(meeting.id(), SALES, ORIGIN);

        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(google.calls()).containsExactly("insert", "delete", "get");
        assertThat(store.auditActions()).containsExactly("create", "cancel");
    }

    @Test
    void cancelDeletesInGoogleThenMarksTheRowCancelledWithACancelEvent() {
        CalendarEvent meeting = created("Cancelled");

        CalendarEvent cancelled = service.cancel(meeting.id(), SALES, ORIGIN);

        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(service.get(meeting.id()).status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(google.event("primary", meeting.googleEventId()).orElseThrow().status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(store.auditActions()).containsExactly("create", "cancel");
    }

    @Test
    void cancellingACancelledMeetingAgainChangesNothing() {
        CalendarEvent meeting = created("Twice");
        CalendarEvent cancelled = service.cancel(meeting.id(), SALES, ORIGIN);

        CalendarEvent again = service.cancel(meeting.id(), SALES, ORIGIN);

        assertThat(again).isEqualTo(cancelled);
        assertThat(google.calls()).containsExactly("insert", "delete");
        assertThat(store.auditActions()).containsExactly("create", "cancel");
    }

    @Test
    void cancellingAMeetingAlreadyDeletedInGoogleSucceeds() {
        CalendarEvent meeting = created("Gone already");
        google.deleteAsSomeoneElse("primary", meeting.googleEventId());

        CalendarEvent cancelled = service.cancel(meeting.id(), SALES, ORIGIN);

        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(store.auditActions()).containsExactly("create", "cancel");
    }

    @Test
    void aGoogleFailureOnCancelIs502AndLeavesTheRowUnchanged() {
        CalendarEvent meeting = created("Cancel outage");
        google.failNext(new GoogleCalendarException.Unavailable(503, "backendError", "Backend Error", null));

        apiFailure(() -> service.cancel(meeting.id(), SALES, ORIGIN), ErrorCode.UPSTREAM_FAILED);

        assertOnlyCreated(meeting);
    }

    @Test
    void aCancelRacingAnotherWriteCancelsTheRowAsItIsNow() {
        CalendarEvent meeting = created("Cancel raced");
        google.beforeNextCall(() -> store.writeAsAnotherRequest(writtenByAnotherRequest(meeting, "Concurrent")));

        CalendarEvent cancelled = service.cancel(meeting.id(), SALES, ORIGIN);

        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(cancelled.summary()).isEqualTo("Concurrent");
        assertThat(store.auditActions()).containsExactly("create", "cancel");
    }

    @Test
    void onlyTheOwnerOrAManagerMayCancel() {
        CalendarEvent meeting = created("Not yours");

        apiFailure(() -> service.cancel(meeting.id(), OTHER_SALES, ORIGIN), ErrorCode.FORBIDDEN);

        assertThat(google.calls()).containsExactly("insert");
    }

    // ---- calendars PipeDesk may write ----

    private static NewEvent onCalendar(String calendarId) {
        NewEvent input = meeting("Placed", false);
        return new NewEvent(input.summary(), input.description(), input.startTime(), input.endTime(), input.attendees(),
                input.createMeetLink(), input.entityType(), input.entityId(), calendarId);
    }

    @Test
    void aCreateOnACalendarOutsideTheWritableListIs422AndNeverReachesGoogle() {
        ApiException refused = apiFailure(() -> service.create(onCalendar("ceo@example.com"), null, SALES, ORIGIN),
                ErrorCode.VALIDATION_FAILED);

        assertThat(failedFields(refused)).containsExactly("calendar_id");
        assertThat(google.calls()).isEmpty();
        assertThat(store.rows()).isEmpty();
        assertThat(store.audit()).isEmpty();
    }

    @Test
    void aCreateMayNameAnyWritableCalendarAndWithoutOneUsesTheDefault() {
        CalendarService teamDefault = new CalendarService(store, google,
                new WritableCalendars("team@example.com", Set.of("primary", "team@example.com")), clock);

        CalendarEvent onPrimary = teamDefault.create(onCalendar("primary"), null, SALES, ORIGIN).event();
        CalendarEvent onDefault = teamDefault.create(onCalendar(null), null, SALES, ORIGIN).event();

        assertThat(onPrimary.calendarId()).isEqualTo("primary");
        assertThat(onDefault.calendarId()).isEqualTo("team@example.com");
        assertThat(google.event("team@example.com", onDefault.googleEventId())).isPresent();
    }

    @Test
    void omittingTheDefaultCalendarOrNamingItIsTheSameRequestForItsIdempotencyKey() {
        CalendarService.Created first = service.create(onCalendar(null), "key-default", SALES, ORIGIN);

        CalendarService.Created named = service.create(onCalendar("primary"), "key-default", SALES, ORIGIN);

        assertThat(named.replayed()).isTrue();
        assertThat(named.event()).isEqualTo(first.event());
    }

    // ---- the client role's scope ----

    @Test
    void aClientReadsAMeetingItsEmailAttendsIgnoringCase() {
        CalendarEvent meeting = created("With the buyer");

        assertThat(service.get(meeting.id(), CLIENT)).isEqualTo(meeting);
        assertThat(service.get(meeting.googleEventId(), CLIENT)).isEqualTo(meeting);
    }

    @Test
    void everyOtherMeetingIs404ToAClientAsIfItDidNotExist() {
        CalendarEvent meeting = created("Without them");

        ApiException hidden = apiFailure(() -> service.get(meeting.id(), OTHER_CLIENT), ErrorCode.NOT_FOUND);
        ApiException missing = apiFailure(() -> service.get("no-such-meeting", OTHER_CLIENT), ErrorCode.NOT_FOUND);
        apiFailure(() -> service.get(meeting.id(), CLIENT_WITHOUT_EMAIL), ErrorCode.NOT_FOUND);

        assertThat(hidden.getMessage()).isEqualTo(missing.getMessage().replace("no-such-meeting", meeting.id()));
        assertThat(service.get(meeting.id(), VIEWER)).isEqualTo(meeting);
    }

    @Test
    void aClientsListingIsNarrowedToItsEmailAndStaffListingsAreNot() {
        created("Listed");
        EventQuery query = new EventQuery(null, null, null, null, null, null, 100, 0, false);

        service.list(query, CLIENT);
        service.list(query, VIEWER);

        assertThat(store.listQueries()).extracting(EventQuery::attendeeEmail).containsExactly("Buyer@Example.com", null);
    }

    @Test
    void aClientWithoutAnEmailListsNothing() {
        created("Invisible");

        var page = service.list(new EventQuery(null, null, null, null, null, null, 100, 0, false), CLIENT_WITHOUT_EMAIL);

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(store.listQueries()).isEmpty();
    }

    // ---- If-Match (API-level optimistic concurrency) ----

    private static IfMatch ifMatch(EntityTag... tags) {
        return IfMatch.anyOf(tags);
    }

    @Test
    void theVersionIsTheMirrorRowsNotGooglesAndChangesWithEveryWrite() {
        CalendarEvent meeting = created("Versioned");
        CalendarEvent later = writtenByAnotherRequest(meeting, "Renamed");

        assertThat(EventVersion.of(meeting).weak()).isFalse();
        assertThat(EventVersion.of(meeting).opaque()).isNotEqualTo(meeting.googleEtag());
        assertThat(EventVersion.of(later)).isNotEqualTo(EventVersion.of(meeting));
        assertThat(EventVersion.of(writtenByAnotherRequest(meeting, "Renamed"))).isEqualTo(EventVersion.of(later));
    }

    @Test
    void anUpdateAtTheVersionItNamesIsApplied() {
        CalendarEvent meeting = created("Current");

        CalendarEvent after = service.update(meeting.id(), rename("Renamed"),
                ifMatch(EntityTag.strong("0"), EventVersion.of(meeting)), SALES, ORIGIN);
        CalendarEvent anyVersion = service.update(meeting.id(), rename("Again"),
                IfMatch.anyVersion(), SALES, ORIGIN);

        assertThat(after.summary()).isEqualTo("Renamed");
        assertThat(anyVersion.summary()).isEqualTo("Again");
    }

    @Test
    void aStaleIfMatchIs412WithTheCurrentStateAndChangesNothing() {
        CalendarEvent read = created("Read earlier");
        CalendarEvent current = writtenByAnotherRequest(read, "Changed since");
        store.writeAsAnotherRequest(current);

        ApiException stale = apiFailure(() -> service.update(read.id(),
                rename("Overwrite?"), ifMatch(EventVersion.of(read)), SALES, ORIGIN),
                ErrorCode.PRECONDITION_FAILED);

        assertThat(currentSummaryIn(stale)).isEqualTo("Changed since");
        assertThat(((Map<?, ?>) stale.details()).get("etag")).isEqualTo(EventVersion.of(current).headerValue());
        assertThat(google.calls()).as("only the create").containsExactly("insert");
        assertThat(store.rows()).containsExactly(current);
        assertThat(store.auditActions()).containsExactly("create");
    }

    @Test
    void aWeakTagNeverSatisfiesIfMatch() {
        CalendarEvent meeting = created("Weak");
        EntityTag weak = new EntityTag(EventVersion.of(meeting).opaque(), true);

        apiFailure(() -> service.update(meeting.id(), rename("No"), ifMatch(weak),
                SALES, ORIGIN), ErrorCode.PRECONDITION_FAILED);
    }

    @Test
    void aCancelWithAStaleIfMatchIs412AndTheMeetingStays() {
        CalendarEvent read = created("Cancel stale");
        store.writeAsAnotherRequest(writtenByAnotherRequest(read, "Moved on"));

        apiFailure(() -> service.cancel(read.id(), ifMatch(EventVersion.of(read)), SALES, ORIGIN),
                ErrorCode.PRECONDITION_FAILED);

        assertThat(google.calls()).as("only the create").containsExactly("insert");
        assertThat(service.get(read.id()).status()).isEqualTo(EventStatus.CONFIRMED);
        CalendarEvent cancelled = service.cancel(read.id(), ifMatch(EventVersion.of(service.get(read.id()))), SALES, ORIGIN);
        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
    }

    @Test
    void ownershipIsCheckedBeforeTheVersion() {
        CalendarEvent meeting = created("Not theirs");

        apiFailure(() -> service.update(meeting.id(), rename("x"),
                ifMatch(EntityTag.strong("stale")), OTHER_SALES, ORIGIN), ErrorCode.FORBIDDEN);
    }

    // ---- the sync: canonical calendar ids, the meeting lock, adoption, attribution ----

    /** The row the sync stores for a Google event that carries PipeDesk's markers: no create request behind it. */
    private static CalendarEvent storedBySync(String calendarId, GoogleEventSnapshot g, Instant updatedAt) {
        Map<String, String> markers = g.privateProperties();
        return new CalendarEvent(markers.get("pipedesk_event_id"), g.id(), calendarId, g.summary(), g.description(),
                g.start(), g.end(), g.meetLink(), g.conferenceStatus(), g.htmlLink(), g.status(), g.organizerEmail(),
                g.attendees(), EntityType.parse(markers.get("pipedesk_entity_type")).orElse(null),
                markers.get("pipedesk_entity_id"), markers.get("pipedesk_created_by"), null, null, g.etag(), g.updated(),
                updatedAt, updatedAt);
    }

    /** The row as the sync leaves it after taking in Google's current version of the meeting. */
    private static CalendarEvent syncedFrom(CalendarEvent row, GoogleEventSnapshot g, Instant updatedAt) {
        return new CalendarEvent(row.id(), row.googleEventId(), row.calendarId(), g.summary(), g.description(), g.start(),
                g.end(), g.meetLink(), g.conferenceStatus(), g.htmlLink(), g.status(), g.organizerEmail(), g.attendees(),
                row.entityType(), row.entityId(), row.createdBy(), row.idempotencyKey(), row.requestHash(), g.etag(),
                g.updated(), row.createdAt(), updatedAt);
    }

    @Test
    void everyGoogleWriteAndItsMirrorWriteRunUnderTheMeetingsLock() {
        String googleEventId = Ids.googleEventIdFor("sales-1\nkey-locked");
        List<Boolean> lockedDuringGoogleWrites = new ArrayList<>();
        google.beforeNextCall(() -> lockedDuringGoogleWrites.add(store.holdsLock("primary", googleEventId)));
        CalendarEvent meeting = service.create(meeting("Locked", false), "key-locked", SALES, ORIGIN).event();
        google.beforeNextCall(() -> lockedDuringGoogleWrites.add(store.holdsLock("primary", googleEventId)));
        service.update(meeting.id(), rename("Locked, renamed"), SALES, ORIGIN);
        google.beforeNextCall(() -> lockedDuringGoogleWrites.add(store.holdsLock("primary", googleEventId)));
        service.cancel(meeting.id(), SALES, ORIGIN);

        assertThat(google.calls()).containsExactly("insert", "patch", "delete");
        assertThat(lockedDuringGoogleWrites).containsExactly(true, true, true);
        assertThat(store.writesOutsideTheirLock()).isEmpty();
        assertThat(store.holdsLock("primary", googleEventId)).as("released").isFalse();
    }

    @Test
    void primaryIsStoredUnderItsOwnersEmailWhichNamesTheSameWritableCalendar() {
        CalendarService canonical = new CalendarService(store, google, CALENDARS,
                id -> id.equals("primary") ? "owner@example.com" : id, clock);

        CalendarService.Created onDefault = canonical.create(onCalendar(null), "key-canonical", SALES, ORIGIN);
        CalendarService.Created namedByEmail = canonical.create(onCalendar("owner@example.com"), "key-canonical", SALES,
                ORIGIN);
        CalendarEvent onTeam = canonical.create(onCalendar("team@example.com"), null, SALES, ORIGIN).event();
        canonical.list(new EventQuery(null, null, null, null, null, "primary", 100, 0, false), MANAGER);

        CalendarEvent stored = onDefault.event();
        assertThat(stored.calendarId()).isEqualTo("owner@example.com");
        assertThat(google.event("owner@example.com", stored.googleEventId())).isPresent();
        assertThat(namedByEmail.replayed()).as("the same calendar, so the same request").isTrue();
        assertThat(canonical.get(stored.id(), SALES)).isEqualTo(stored);
        assertThat(onTeam.calendarId()).isEqualTo("team@example.com");
        assertThat(store.listQueries()).extracting(EventQuery::calendarId).containsExactly("owner@example.com");
        assertThat(canonical.update(stored.id(), rename("Renamed"), SALES, ORIGIN).calendarId())
                .isEqualTo("owner@example.com");
    }

    @Test
    void aCalendarWhoseIdCannotBeResolvedIs502AndReachesNoGoogleWrite() {
        CalendarService unresolvable = new CalendarService(store, google, CALENDARS, id -> {
            throw new GoogleCalendarException.Unavailable(503, "backendError", "Backend Error", null);
        }, clock);

        apiFailure(() -> unresolvable.create(onCalendar("primary"), null, SALES, ORIGIN), ErrorCode.UPSTREAM_FAILED);

        assertThat(google.calls()).isEmpty();
        assertThat(store.rows()).isEmpty();
    }

    @Test
    void aCreateAdoptsTheRowTheSyncStoredFirstAndRecordsTheCreateOnce() {
        Instant syncedAt = NOW.plusSeconds(1);
        // The sync meets the new event (with PipeDesk's markers) before the create's mirror write.
        google.afterNextCall(() -> store.writeAsAnotherRequest(
                storedBySync("primary", google.events().getFirst(), syncedAt)));

        CalendarService.Created created = service.create(meeting("Synced first", false), "key-adopt", SALES, ORIGIN);

        CalendarEvent row = created.event();
        assertThat(created.replayed()).isFalse();
        assertThat(store.rows()).containsExactly(row);
        assertThat(row.id()).isEqualTo(google.events().getFirst().privateProperties().get("pipedesk_event_id"));
        assertThat(row.idempotencyKey()).isEqualTo("key-adopt");
        assertThat(row.requestHash()).isNotNull();
        assertThat(row.createdBy()).isEqualTo("sales-1");
        assertThat(row.entityType()).isEqualTo(EntityType.DEAL);
        assertThat(store.audit()).singleElement().satisfies(audit -> {
            assertThat(audit.action()).isEqualTo("create");
            assertThat(audit.entityId()).isEqualTo(row.id());
            assertThat(audit.actor()).isEqualTo(AuditEvent.Actor.user("sales-1"));
        });
        assertThat(service.create(meeting("Synced first", false), "key-adopt", SALES, ORIGIN).replayed()).isTrue();
    }

    @Test
    void theSyncConflictEntryIsGoogleSyncsWithTheRequestThatFoundIt() {
        CalendarEvent before = created("Conflict attributed");
        google.editAsSomeoneElse("primary", before.googleEventId(), "Changed in Google");

        apiFailure(() -> service.update(before.id(), rename("Mine"), SALES, ORIGIN), ErrorCode.CONFLICT);

        assertThat(store.audit()).last().satisfies(audit -> {
            assertThat(audit.action()).isEqualTo("sync_conflict");
            assertThat(audit.actor()).isEqualTo(
                    new AuditEvent.Actor(AuditEvent.ActorType.SYSTEM, "system:google-sync"));
            assertThat(audit.requestId()).isEqualTo("req-1");
            assertThat(audit.ip()).isEqualTo("203.0.113.7");
            assertThat(audit.userAgent()).isEqualTo("test");
            assertThat(audit.changes()).containsKey("summary");
        });
    }

    @Test
    void anUpdateWhoseRowTheSyncBroughtToItsOwnResultIs200WithOneUpdate() {
        CalendarEvent before = created("Synced before mirrored");
        // Right after Google applied the patch, the sync stores Google's result in the row.
        google.afterNextCall(() -> store.writeAsAnotherRequest(syncedFrom(before,
                google.event("primary", before.googleEventId()).orElseThrow(), NOW.plusSeconds(1))));

        CalendarEvent after = service.update(before.id(), rename("Renamed"), SALES, ORIGIN);

        assertThat(after.summary()).isEqualTo("Renamed");
        assertThat(after.googleEtag()).isEqualTo(google.event("primary", before.googleEventId()).orElseThrow().etag());
        assertThat(service.get(before.id())).isEqualTo(after);
        assertThat(store.auditActions()).containsExactly("create", "update");
        assertThat(store.audit().getLast().changes()).containsOnlyKeys("summary");
        assertThat(store.audit().getLast().actor().id()).isEqualTo("sales-1");
    }

    @Test
    void anUpdateWhoseChangeAnEarlierRequestMadeAndMirroredIs200WithNoSecondEntry() {
        CalendarEvent read = created("Twice the same change");
        // Between this request's read and its patch, an identical request changed Google and the mirror.
        google.beforeNextCall(() -> {
            GoogleEventSnapshot renamed = google.patch("primary", read.googleEventId(),
                    new EventPatch(FieldChange.set("Renamed"), FieldChange.keep(), FieldChange.keep(),
                            FieldChange.keep(), FieldChange.keep(), FieldChange.keep()), read.googleEtag());
            store.writeAsAnotherRequest(syncedFrom(read, renamed, NOW.plusSeconds(1)));
        });

        CalendarEvent after = service.update(read.id(), rename("Renamed"), SALES, ORIGIN);

        assertThat(after.summary()).isEqualTo("Renamed");
        assertThat(store.auditActions()).as("the earlier request recorded it").containsExactly("create");
    }

    @Test
    void aCancelWhoseRowTheSyncCancelledMeanwhileSucceedsWithoutASecondEntry() {
        CalendarEvent meeting = created("Cancelled twice over");
        google.afterNextCall(() -> store.writeAsAnotherRequest(syncedFrom(meeting,
                google.event("primary", meeting.googleEventId()).orElseThrow(), NOW.plusSeconds(1))));

        CalendarEvent cancelled = service.cancel(meeting.id(), SALES, ORIGIN);

        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(store.auditActions()).containsExactly("create");
    }

    @Test
    void aMeetingCreatedInGoogleMayBeChangedOnlyByManagersAndAdmins() {
        google.insertAsSomeoneElse("primary", "fromgoogle1", "Made in Google", START, END);
        CalendarEvent mirrored = new CalendarEvent(Ids.uuid(), "fromgoogle1", "primary", "Made in Google", null, START,
                END, null, ConferenceStatus.NONE, null, EventStatus.CONFIRMED, "someone@example.com", List.of(), null,
                null, "system:google-sync", null, null, google.event("primary", "fromgoogle1").orElseThrow().etag(),
                NOW, NOW, NOW);
        store.writeAsAnotherRequest(mirrored);

        apiFailure(() -> service.update(mirrored.id(), rename("By sales"), SALES, ORIGIN), ErrorCode.FORBIDDEN);
        apiFailure(() -> service.cancel(mirrored.id(), SALES, ORIGIN), ErrorCode.FORBIDDEN);
        CalendarEvent byManager = service.update(mirrored.id(), rename("By a manager"), MANAGER, ORIGIN);

        assertThat(byManager.summary()).isEqualTo("By a manager");
        assertThat(byManager.createdBy()).isEqualTo("system:google-sync");
        assertThat(google.calls()).containsExactly("patch");
    }
}
