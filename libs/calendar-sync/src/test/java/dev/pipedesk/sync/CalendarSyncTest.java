package dev.pipedesk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.emulator.calendar.ExternalEdit;
import dev.pipedesk.google.ChangePage;
import dev.pipedesk.google.EventDraft;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleEventSnapshot;
import dev.pipedesk.google.PipeDeskMarkers;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.MeetingLocks;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Tag("integration")
class CalendarSyncTest {
    @RegisterExtension
    static final SyncBackends BACKENDS = new SyncBackends();
    private static final String CALENDAR = SyncBackends.OWNER;
    private static final Instant START = Instant.parse("2031-06-02T15:00:00Z");

    private GoogleCalendarGateway gateway;
    private CalendarEventRepository rows;
    private SyncStateRepository states;

    @BeforeEach
    void setUp() {
        gateway = BACKENDS.gateway();
        rows = new CalendarEventRepository(BACKENDS.dataSource());
        states = new SyncStateRepository(BACKENDS.dataSource());
    }

    private CalendarSync sync(GoogleCalendarFeed feed) {
        return new CalendarSync(BACKENDS.dataSource(), feed, BACKENDS.auditOutbox(), SyncBackends.settings(3),
                Clock.systemUTC());
    }

    private CalendarSync sync() {
        return sync(gateway);
    }

    private String createdInGoogle(String summary) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("summary", summary);
        event.putObject("start").put("dateTime", START.toString());
        event.putObject("end").put("dateTime", START.plus(1, ChronoUnit.HOURS).toString());
        return BACKENDS.google().insertAsUser(CALENDAR, "colleague@example.com", event).path("id").asString();
    }

    /** PipeDesk's own create in Google (with its markers), as the calendar function makes it. */
    private GoogleEventSnapshot createdByPipeDesk(String rowId, String summary) {
        return gateway.insert(CALENDAR, new EventDraft(Ids.newGoogleEventId(), summary, null, START,
                START.plus(1, ChronoUnit.HOURS), List.of(), null, Map.of(
                        PipeDeskMarkers.EVENT_ID, rowId,
                        PipeDeskMarkers.CREATED_BY, "user-7",
                        PipeDeskMarkers.ENTITY_TYPE, "deal",
                        PipeDeskMarkers.ENTITY_ID, "deal-42")));
    }

    private CalendarEvent row(String googleEventId) {
        return rows.findByIdOrGoogleId(googleEventId).orElseThrow();
    }

    private List<String> actions() {
        return BACKENDS.publishedAudit().stream().map(event -> event.path("action").asString()).toList();
    }

    @Test
    void mirrorsAnEventCreatedInGoogleWithoutACrmLinkAndAuditsItAsSyncCreate() {
        String googleId = createdInGoogle("Intro call");

        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.FULL);
        CalendarEvent mirrored = row(googleId);
        assertThat(mirrored.summary()).isEqualTo("Intro call");
        assertThat(mirrored.createdBy()).isEqualTo("system:google-sync");
        assertThat(mirrored.entityType()).isNull();
        List<JsonNode> audit = BACKENDS.publishedAudit();
        assertThat(audit).singleElement().satisfies(event -> {
            assertThat(event.path("action").asString()).isEqualTo("sync_create");
            assertThat(event.path("actor").path("type").asString()).isEqualTo("system");
            assertThat(event.path("actor").path("id").asString()).isEqualTo("system:google-sync");
            assertThat(event.path("entity_id").asString()).isEqualTo(mirrored.id());
        });
        assertThat(states.find(CALENDAR).orElseThrow().syncToken()).isNotNull();
    }

    @Test
    void appliesAnEditMadeInGoogleAsOneSyncUpdateWithTheFieldDiffs() {
        String googleId = createdInGoogle("Intro call");
        sync().sync(CALENDAR);
        BACKENDS.publishedAudit();

        BACKENDS.google().editAsUser(CALENDAR, googleId, ExternalEdit.by("colleague@example.com")
                .withSummary("Intro call (moved)").withTimes(START.plus(1, ChronoUnit.DAYS),
                        START.plus(1, ChronoUnit.DAYS).plus(30, ChronoUnit.MINUTES)));
        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.INCREMENTAL);
        assertThat(outcome.updated()).isEqualTo(1);
        assertThat(row(googleId).summary()).isEqualTo("Intro call (moved)");
        assertThat(row(googleId).startTime()).isEqualTo(START.plus(1, ChronoUnit.DAYS));
        List<JsonNode> audit = BACKENDS.publishedAudit();
        assertThat(audit).singleElement().satisfies(event -> {
            assertThat(event.path("action").asString()).isEqualTo("sync_update");
            assertThat(event.path("actor").path("id").asString()).isEqualTo("system:google-sync");
            assertThat(event.path("changes").propertyNames()).contains("summary", "start_time", "end_time");
            assertThat(event.path("changes").path("summary").path("new").asString()).isEqualTo("Intro call (moved)");
        });
    }

    @Test
    void cancelsTheRowWhenGoogleCancelsTheEventEvenAsABareTombstone() {
        BACKENDS.google().minimalTombstones(true);
        String googleId = createdInGoogle("Intro call");
        sync().sync(CALENDAR);
        BACKENDS.publishedAudit();

        BACKENDS.google().editAsUser(CALENDAR, googleId, ExternalEdit.by("colleague@example.com").withStatus("cancelled"));
        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.cancelled()).isEqualTo(1);
        CalendarEvent cancelled = row(googleId);
        assertThat(cancelled.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(cancelled.summary()).isEqualTo("Intro call");
        assertThat(actions()).containsExactly("sync_cancel");
    }

    @Test
    void anEchoOfPipeDesksOwnWriteChangesNothingAndWritesNoAuditEvent() {
        sync().sync(CALENDAR);
        String rowId = Ids.uuid();
        GoogleEventSnapshot created = createdByPipeDesk(rowId, "Demo");
        storeAsTheCalendarFunctionWould(rowId, created);
        BACKENDS.publishedAudit();

        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(outcome.unchanged()).isEqualTo(1);
        assertThat(outcome.created() + outcome.updated() + outcome.cancelled()).isZero();
        assertThat(BACKENDS.publishedAudit()).isEmpty();
        assertThat(row(created.id()).updatedAt()).isEqualTo(row(created.id()).createdAt());
    }

    @Test
    void anEventWithPipeDesksMarkersButNoMirrorRowIsTrustedForNothingButItsFreeRowId() {
        sync().sync(CALENDAR);
        String rowId = Ids.uuid();
        // Markers as PipeDesk writes them, or as anyone who may write the calendar can forge them.
        GoogleEventSnapshot created = createdByPipeDesk(rowId, "Demo");

        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.created()).isEqualTo(1);
        CalendarEvent stored = row(created.id());
        assertThat(stored.id()).isEqualTo(rowId);
        assertThat(stored.createdBy()).isEqualTo("system:google-sync");
        assertThat(stored.entityType()).isNull();
        assertThat(stored.entityId()).isNull();
        assertThat(stored.requestHash()).isNull();
        assertThat(BACKENDS.publishedAudit()).singleElement().satisfies(event -> {
            assertThat(event.path("action").asString()).isEqualTo("sync_create");
            assertThat(event.path("actor").path("id").asString()).isEqualTo("system:google-sync");
        });
    }

    @Test
    void aCopyOfPipeDesksEventMadeInGoogleIsMirroredAsAnEventOfItsOwn() {
        sync().sync(CALENDAR);
        String rowId = Ids.uuid();
        GoogleEventSnapshot original = createdByPipeDesk(rowId, "Demo");
        storeAsTheCalendarFunctionWould(rowId, original);
        BACKENDS.publishedAudit();
        ObjectNode copy = Json.MAPPER.createObjectNode();
        copy.put("summary", "Demo (copy)");
        copy.putObject("start").put("dateTime", START.toString());
        copy.putObject("end").put("dateTime", START.plus(1, ChronoUnit.HOURS).toString());
        copy.putObject("extendedProperties").set("private", Json.MAPPER.valueToTree(original.privateProperties()));
        String copyId = BACKENDS.google().insertAsUser(CALENDAR, "colleague@example.com", copy).path("id").asString();

        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.skipped()).isZero();
        CalendarEvent mirrored = row(copyId);
        assertThat(mirrored.id()).isNotEqualTo(rowId);
        assertThat(mirrored.createdBy()).isEqualTo("system:google-sync");
        assertThat(mirrored.entityId()).isNull();
        assertThat(row(original.id()).id()).isEqualTo(rowId);
        assertThat(actions()).containsExactly("sync_create");
    }

    @Test
    void aFullResyncAfter410CancelsRowsGoogleNoLongerHasAndKeepsCrmFields() {
        String kept = createdInGoogle("Kept");
        String rowId = Ids.uuid();
        GoogleEventSnapshot linked = createdByPipeDesk(rowId, "Linked");
        storeAsTheCalendarFunctionWould(rowId, linked);
        sync().sync(CALENDAR);
        String deletedWhileTokenDead = createdInGoogle("Deleted");
        sync().sync(CALENDAR);
        BACKENDS.publishedAudit();

        BACKENDS.google().invalidateSyncTokens(CALENDAR);
        BACKENDS.google().editAsUser(CALENDAR, deletedWhileTokenDead,
                ExternalEdit.by("colleague@example.com").withStatus("cancelled"));
        BACKENDS.google().editAsUser(CALENDAR, linked.id(), ExternalEdit.by("colleague@example.com").withSummary("Linked v2"));
        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.FULL);
        assertThat(row(deletedWhileTokenDead).status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(row(kept).status()).isEqualTo(EventStatus.CONFIRMED);
        CalendarEvent relinked = row(linked.id());
        assertThat(relinked.summary()).isEqualTo("Linked v2");
        assertThat(relinked.entityId()).isEqualTo("deal-42");
        assertThat(relinked.createdBy()).isEqualTo("user-7");
        assertThat(relinked.requestHash()).isEqualTo("hash-of-the-create");
        assertThat(actions()).containsExactlyInAnyOrder("sync_cancel", "sync_update");
        assertThat(states.find(CALENDAR).orElseThrow().fullSyncsInARow()).isEqualTo(1);
    }

    @Test
    void a410OnALaterPageStoresNoTokenAndTheFullResyncAppliesEveryChangeOnce() {
        createdInGoogle("One");
        sync().sync(CALENDAR);
        String edited = createdInGoogle("Two");
        String storedToken = states.find(CALENDAR).orElseThrow().syncToken();
        BACKENDS.publishedAudit();
        BACKENDS.google().injectEmptyPages(2);
        GoogleCalendarFeed invalidatingOnPage2 = new PagedFeed(gateway, page -> {
            if (page == 2) {
                BACKENDS.google().invalidateSyncTokens(CALENDAR);
            }
        });

        SyncOutcome outcome = sync(invalidatingOnPage2).sync(CALENDAR);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.FULL);
        assertThat(states.find(CALENDAR).orElseThrow().syncToken()).isNotNull().isNotEqualTo(storedToken);
        assertThat(row(edited).summary()).isEqualTo("Two");
        assertThat(actions()).containsExactly("sync_create");
    }

    @Test
    void aChangeMadeWhileASyncRunsIsAppliedByTheSyncAfterItOnce() {
        String googleId = createdInGoogle("Before");
        sync().sync(CALENDAR);
        BACKENDS.google().editAsUser(CALENDAR, googleId, ExternalEdit.by("colleague@example.com").withSummary("First edit"));
        BACKENDS.publishedAudit();
        // The second change (and its notification) arrives after this sync has read its changes.
        GoogleCalendarFeed editedAfterTheListing = new PagedFeed(gateway, page -> { }, page -> {
            if (page == 1) {
                BACKENDS.google().editAsUser(CALENDAR, googleId,
                        ExternalEdit.by("colleague@example.com").withSummary("Edited during the sync"));
            }
        });

        SyncOutcome during = sync(editedAfterTheListing).sync(CALENDAR);

        assertThat(during.updated()).isEqualTo(1);
        assertThat(row(googleId).summary()).isEqualTo("First edit");

        SyncOutcome after = sync().sync(CALENDAR);

        assertThat(after.updated()).isEqualTo(1);
        assertThat(row(googleId).summary()).isEqualTo("Edited during the sync");
        assertThat(BACKENDS.publishedAudit()).extracting(event -> event.path("changes").path("summary").path("new")
                .asString()).containsExactly("First edit", "Edited during the sync");
        assertThat(sync().sync(CALENDAR).updated()).isZero();
    }

    @Test
    void aCrashMidWalkKeepsTheStoredTokenAndTheNextRunAppliesEachChangeOnce() {
        sync().sync(CALENDAR);
        String tokenBefore = states.find(CALENDAR).orElseThrow().syncToken();
        String first = createdInGoogle("First");
        BACKENDS.google().injectEmptyPages(1);
        GoogleCalendarFeed crashingOnPage2 = new PagedFeed(gateway, page -> {
            if (page == 2) {
                throw new GoogleCalendarException.Unavailable(503, "backendError", "Backend Error", null);
            }
        });

        SyncOutcome interrupted = sync(crashingOnPage2).sync(CALENDAR);

        assertThat(interrupted.result()).isEqualTo(SyncOutcome.Result.RETRY);
        assertThat(interrupted.shouldRetry()).isTrue();
        assertThat(states.find(CALENDAR).orElseThrow().syncToken()).isEqualTo(tokenBefore);

        SyncOutcome resumed = sync().sync(CALENDAR);

        assertThat(resumed.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(row(first).summary()).isEqualTo("First");
        assertThat(actions()).containsExactly("sync_create");
    }

    @Test
    void repeated410sMarkTheCalendarFailedInsteadOfLoopingOnFullResyncs() {
        sync().sync(CALENDAR);
        GoogleCalendarFeed alwaysGone = new PagedFeed(gateway, page -> {
            throw new GoogleCalendarException.Gone("fullSyncRequired", "Sync token is no longer valid", null);
        });
        AtomicInteger outcomes = new AtomicInteger();

        SyncOutcome outcome = sync(alwaysGone).sync(CALENDAR);
        outcomes.incrementAndGet();

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.FAILED);
        SyncState state = states.find(CALENDAR).orElseThrow();
        assertThat(state.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(state.failureReason()).contains("410");
        assertThat(state.fullSyncsInARow()).isEqualTo(4);

        SyncOutcome recovered = sync().sync(CALENDAR);

        assertThat(recovered.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(states.find(CALENDAR).orElseThrow().status()).isEqualTo(SyncStatus.SYNCING);
    }

    @Test
    void aCompletedWalkDoesNotClearAFailureOfTheCalendarsWatch() {
        sync().sync(CALENDAR);
        String watchFailure = ChannelManager.WATCH_FAILURE + "404 notFound";
        states.markFailed(CALENDAR, watchFailure, Instant.now());

        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        SyncState state = states.find(CALENDAR).orElseThrow();
        assertThat(state.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(state.failureReason()).isEqualTo(watchFailure);
    }

    @Test
    void skipsAnEventThePostgresMirrorCannotStoreAndStillStoresTheToken() {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("summary", "Bad\u0000title");
        event.putObject("start").put("dateTime", START.toString());
        event.putObject("end").put("dateTime", START.plus(1, ChronoUnit.HOURS).toString());
        String bad = BACKENDS.google().insertAsUser(CALENDAR, "colleague@example.com", event).path("id").asString();
        String good = createdInGoogle("Good");

        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(outcome.skipped()).isEqualTo(1);
        assertThat(rows.findByIdOrGoogleId(bad)).isEmpty();
        assertThat(row(good).summary()).isEqualTo("Good");
        SyncState state = states.find(CALENDAR).orElseThrow();
        assertThat(state.syncToken()).isNotNull();
        assertThat(state.skippedEvents()).singleElement().satisfies(skipped -> {
            assertThat(skipped.googleEventId()).isEqualTo(bad);
            assertThat(skipped.reason()).contains("NUL");
        });
    }

    /** An event Google stores but PostgreSQL cannot (a NUL character in its title). */
    private String unstorableInGoogle() {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("summary", "Bad\u0000title");
        event.putObject("start").put("dateTime", START.toString());
        event.putObject("end").put("dateTime", START.plus(1, ChronoUnit.HOURS).toString());
        return BACKENDS.google().insertAsUser(CALENDAR, "colleague@example.com", event).path("id").asString();
    }

    private List<String> skippedEventIds() {
        return states.find(CALENDAR).orElseThrow().skippedEvents().stream().map(SkippedEvent::googleEventId).toList();
    }

    @Test
    void aSkippedEventLeavesTheSkippedListOnceALaterVersionIsMirroredOrGoogleCancelsIt() {
        String fixed = unstorableInGoogle();
        String deleted = unstorableInGoogle();
        sync().sync(CALENDAR);
        assertThat(skippedEventIds()).containsExactlyInAnyOrder(fixed, deleted);

        BACKENDS.google().editAsUser(CALENDAR, fixed, ExternalEdit.by("colleague@example.com").withSummary("Good title"));
        BACKENDS.google().editAsUser(CALENDAR, deleted, ExternalEdit.by("colleague@example.com").withStatus("cancelled"));
        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.INCREMENTAL);
        assertThat(outcome.created()).isEqualTo(1);
        assertThat(row(fixed).summary()).isEqualTo("Good title");
        assertThat(skippedEventIds()).isEmpty();
    }

    @Test
    void aFullResyncForgetsSkippedEventsGoogleNoLongerHas() {
        String vanished = unstorableInGoogle();
        String stillThere = unstorableInGoogle();
        sync().sync(CALENDAR);
        BACKENDS.google().editAsUser(CALENDAR, vanished, ExternalEdit.by("colleague@example.com").withStatus("cancelled"));
        BACKENDS.google().invalidateSyncTokens(CALENDAR);   // the cancellation is never seen as a change

        SyncOutcome outcome = sync().sync(CALENDAR);

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.FULL);
        assertThat(skippedEventIds()).containsExactly(stillThere);
    }

    @Test
    void mirrorsAPrivateEventAsBusyTimeOnly() {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("summary", "Doctor");
        event.put("description", "private matters");
        event.put("visibility", "private");
        event.putObject("start").put("dateTime", START.toString());
        event.putObject("end").put("dateTime", START.plus(1, ChronoUnit.HOURS).toString());
        String id = BACKENDS.google().insertAsUser(CALENDAR, "colleague@example.com", event).path("id").asString();

        sync().sync(CALENDAR);

        CalendarEvent busy = row(id);
        assertThat(busy.summary()).isEqualTo("Busy");
        assertThat(busy.description()).isNull();
        assertThat(busy.attendees()).isEmpty();
    }

    @Test
    void aSecondSyncOfTheSameCalendarWhileOneRunsIsToldToRetry() throws Exception {
        createdInGoogle("One");
        CountDownLatch listing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GoogleCalendarFeed blockingOnPage1 = new PagedFeed(gateway, page -> {
            listing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<SyncOutcome> first = CompletableFuture.supplyAsync(() -> sync(blockingOnPage1).sync(CALENDAR));
        assertThat(listing.await(30, TimeUnit.SECONDS)).isTrue();

        SyncOutcome second = sync().sync(CALENDAR);
        release.countDown();

        assertThat(second.result()).isEqualTo(SyncOutcome.Result.RETRY);
        assertThat(first.get(30, TimeUnit.SECONDS).result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(actions()).containsExactly("sync_create");
    }

    @Test
    void waitsForACalendarFunctionWriteHoldingTheMeetingLockAndThenSeesItAsAnEcho() throws Exception {
        sync().sync(CALENDAR);
        String rowId = Ids.uuid();
        GoogleEventSnapshot created = createdByPipeDesk(rowId, "Demo");
        storeAsTheCalendarFunctionWould(rowId, created);
        BACKENDS.publishedAudit();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch mirrorWrite = new CountDownLatch(1);
        CompletableFuture<Void> calendarFunction = CompletableFuture.runAsync(() ->
                MeetingLocks.whileHolding(BACKENDS.dataSource(), CALENDAR, created.id(), () -> {
                    locked.countDown();
                    GoogleEventSnapshot patched = gateway.patch(CALENDAR, created.id(), summaryPatch("Demo v2"), null);
                    await().atMost(Duration.ofSeconds(30)).until(() -> waitingForAMeetingLock() > 0);
                    storeAsTheCalendarFunctionWould(rowId, patched);
                    mirrorWrite.countDown();
                    return null;
                }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();

        SyncOutcome outcome = sync().sync(CALENDAR);
        calendarFunction.get(30, TimeUnit.SECONDS);

        assertThat(mirrorWrite.getCount()).isZero();
        assertThat(outcome.updated()).isZero();
        assertThat(outcome.unchanged()).isEqualTo(1);
        assertThat(row(created.id()).summary()).isEqualTo("Demo v2");
        assertThat(BACKENDS.publishedAudit()).isEmpty();
    }

    @Test
    void aListingOlderThanPipeDesksLaterWriteDoesNotUndoIt() {
        sync().sync(CALENDAR);
        String rowId = Ids.uuid();
        GoogleEventSnapshot created = createdByPipeDesk(rowId, "Demo");
        storeAsTheCalendarFunctionWould(rowId, created);
        BACKENDS.publishedAudit();
        // The sync lists the event as created; before it applies that page, PipeDesk's PATCH has
        // written Google and its mirror row (the calendar function's whole write, under the meeting lock).
        GoogleCalendarFeed patchedAfterTheListing = new PagedFeed(gateway, page -> { }, page -> {
            if (page == 1) {
                storeAsTheCalendarFunctionWould(rowId, gateway.patch(CALENDAR, created.id(), summaryPatch("Demo v2"), null));
            }
        });

        SyncOutcome stale = sync(patchedAfterTheListing).sync(CALENDAR);
        SyncOutcome next = sync().sync(CALENDAR);

        assertThat(stale.result()).isEqualTo(SyncOutcome.Result.SYNCED);
        assertThat(stale.updated()).isZero();
        assertThat(stale.unchanged()).isEqualTo(1);
        assertThat(next.updated()).as("the PATCH's own version is an echo").isZero();
        assertThat(row(created.id()).summary()).isEqualTo("Demo v2");
        assertThat(BACKENDS.publishedAudit()).isEmpty();
    }

    private static dev.pipedesk.google.EventPatch summaryPatch(String summary) {
        return new dev.pipedesk.google.EventPatch(dev.pipedesk.core.FieldChange.set(summary),
                dev.pipedesk.core.FieldChange.keep(), dev.pipedesk.core.FieldChange.keep(),
                dev.pipedesk.core.FieldChange.keep(), dev.pipedesk.core.FieldChange.keep(),
                dev.pipedesk.core.FieldChange.keep());
    }

    private static long waitingForAMeetingLock() {
        return Transactions.withAutoCommit(BACKENDS.dataSource(), connection -> dev.pipedesk.postgres.Jdbc.count(
                connection, "select count(*) from pg_locks where locktype = 'advisory' and not granted", List.of()));
    }

    /** The mirror row the calendar function writes after its Google write (insert or refresh by Google id). */
    private void storeAsTheCalendarFunctionWould(String rowId, GoogleEventSnapshot google) {
        Instant now = Instant.now();
        CalendarEvent event = new CalendarEvent(rowId, google.id(), CALENDAR, google.summary(), google.description(),
                google.start(), google.end(), google.meetLink(), google.conferenceStatus(), google.htmlLink(),
                google.status(), google.organizerEmail(), google.attendees(), EntityType.DEAL, "deal-42", "user-7",
                null, "hash-of-the-create", google.etag(), google.updated(), now, now);
        Transactions.inTransaction(BACKENDS.dataSource(), (Connection connection) ->
                rows.storeByGoogleId(connection, event));
    }

    /** The real feed, with hooks run before and after each {@code listPage} call (numbered from 1). */
    private record PagedFeed(GoogleCalendarFeed real, IntConsumer beforePage, IntConsumer afterPage, AtomicInteger pages)
            implements GoogleCalendarFeed {
        PagedFeed(GoogleCalendarFeed real, IntConsumer beforePage) {
            this(real, beforePage, page -> { }, new AtomicInteger());
        }

        PagedFeed(GoogleCalendarFeed real, IntConsumer beforePage, IntConsumer afterPage) {
            this(real, beforePage, afterPage, new AtomicInteger());
        }

        @Override
        public String canonicalId(String calendarId) {
            return real.canonicalId(calendarId);
        }

        @Override
        public ChangePage listPage(String calendarId, String syncToken, String pageToken) {
            int page = pages.incrementAndGet();
            beforePage.accept(page);
            ChangePage listed = real.listPage(calendarId, syncToken, pageToken);
            afterPage.accept(page);
            return listed;
        }

        @Override
        public WatchedChannel watch(String calendarId, WatchRequest request) {
            return real.watch(calendarId, request);
        }

        @Override
        public void stop(String channelId, String resourceId) {
            real.stop(channelId, resourceId);
        }
    }
}
