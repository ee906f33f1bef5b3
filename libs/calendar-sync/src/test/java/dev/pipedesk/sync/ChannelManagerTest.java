package dev.pipedesk.sync;

import static dev.pipedesk.sync.testing.CountingSecrets.channelId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.sync.testing.CountingSecrets;
import dev.pipedesk.sync.testing.InMemoryGoogleFeed;
import dev.pipedesk.testing.TestDatabase;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelManager} on a real PostgreSQL (the channel and sync-state tables) and a real FIFO
 * sync queue (ElasticMQ), with Google's side of the channels in memory ({@link InMemoryGoogleFeed}).
 * The clock is the test's; channel ids and tokens are {@link CountingSecrets}' ({@code channel-1},
 * {@code channel-2}, …), so every expectation is exact.
 */
@Tag("integration")
class ChannelManagerTest {
    private static final String CALENDAR = "team@pipedesk.example";
    private static final String OWNER = "owner@pipedesk.example";
    private static final URI BASE_URL = URI.create("https://api.pipedesk.example");
    private static final String ADDRESS = "https://api.pipedesk.example/webhooks/google-calendar";
    private static final Instant START = Instant.parse("2031-03-03T10:00:00Z");
    private static final Duration TTL = Duration.ofDays(7);
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);
    private static final Duration BACKSTOP = Duration.ofMinutes(10);
    private static final AtomicInteger QUEUES = new AtomicInteger();

    private static TestDatabase database;
    private static LocalSqs sqs;

    private TestClock clock;
    private InMemoryGoogleFeed google;
    private CountingSecrets secrets;
    private String queueUrl;

    @BeforeAll
    static void start() {
        database = TestDatabase.shared();
        sqs = LocalSqs.startOnFreePort();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @BeforeEach
    void freshState() {
        database.execute("delete from calendar_watch_channels", "delete from calendar_sync_state",
                "delete from google_calendar_aliases");
        clock = new TestClock(START);
        google = new InMemoryGoogleFeed(clock).alias(CalendarIds.PRIMARY, OWNER);
        secrets = new CountingSecrets();
        queueUrl = sqs.createFifoQueue("calendar-sync-" + QUEUES.incrementAndGet() + ".fifo");
    }

    private static SyncSettings settings(Set<String> calendars, URI baseUrl) {
        return new SyncSettings(calendars, baseUrl, TTL, RENEW_BEFORE, BACKSTOP, 3);
    }

    private ChannelManager manager(SyncSettings settings) {
        return new ChannelManager(database.dataSource(), google, new CalendarIds(database.dataSource(), google),
                new SqsSyncQueue(sqs.client(), queueUrl), settings, clock, secrets);
    }

    /** Syncing only {@link #CALENDAR}, channels posting to {@link #ADDRESS}. */
    private ChannelManager manager() {
        return manager(settings(Set.of(CALENDAR), BASE_URL));
    }

    private List<SyncRequest> syncRequests() {
        return sqs.receiveAll(queueUrl).stream().map(m -> Json.read(m.body(), SyncRequest.class)).toList();
    }

    private WatchChannel stored(String channelId) {
        return new WatchChannelRepository(database.dataSource()).find(channelId).orElseThrow();
    }

    private long liveChannels() {
        return database.count("select count(*) from calendar_watch_channels where state = 'active'");
    }

    private SyncState state() {
        return new SyncStateRepository(database.dataSource()).find(CALENDAR).orElseThrow();
    }

    private static CalendarRenewal only(RenewalReport report) {
        assertThat(report.calendars()).hasSize(1);
        return report.calendars().getFirst();
    }

    private static ErrorCode codeOf(Throwable e) {
        return ((ApiException) e).errorCode();
    }

    // --- POST /api/calendar/watch -------------------------------------------------------------

    @Test
    void watchOpensOneChannelAndAFirstSyncThenAnswersWithThatChannel() {
        ChannelManager manager = manager();

        ChannelManager.Watched first = manager.ensureChannel(CALENDAR);
        ChannelManager.Watched again = manager.ensureChannel(CALENDAR);

        assertThat(first.created()).isTrue();
        assertThat(first.channel().id()).isEqualTo(channelId(1));
        assertThat(first.channel().calendarId()).isEqualTo(CALENDAR);
        assertThat(first.channel().address()).isEqualTo(ADDRESS);
        assertThat(first.channel().resourceId()).isEqualTo(InMemoryGoogleFeed.resourceIdOf(CALENDAR));
        assertThat(first.channel().expiresAt()).isEqualTo(START.plus(TTL));
        assertThat(again.created()).isFalse();
        assertThat(again.channel().id()).isEqualTo(channelId(1));
        assertThat(google.watchCalls()).containsExactly("watch " + CALENDAR + " " + channelId(1));
        assertThat(google.watchRequests().getFirst().ttl()).isEqualTo(TTL);
        assertThat(liveChannels()).isOne();
        assertThat(syncRequests()).singleElement().satisfies(request -> {
            assertThat(request.calendarId()).isEqualTo(CALENDAR);
            assertThat(request.reason()).isEqualTo(SyncRequest.Reason.FIRST_SYNC);
        });
    }

    @Test
    void aCalendarThatHasASyncTokenGetsNoFirstSync() {
        new SyncStateRepository(database.dataSource()).ensure(CALENDAR);
        database.execute("update calendar_sync_state set sync_token = 'token-of-an-earlier-walk'");

        assertThat(manager().ensureChannel(CALENDAR).created()).isTrue();

        assertThat(syncRequests()).isEmpty();
    }

    @Test
    void theTokenIsStoredOnlyAsItsSha256AndNeverShown() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        String token = google.watchRequests().getFirst().token();

        String storedHash = stored(channelId(1)).tokenSha256();
        String wholeRow = Transactions.withAutoCommit(database.dataSource(), connection -> {
            try (var statement = connection.createStatement();
                 var rows = statement.executeQuery("select row_to_json(c)::text from calendar_watch_channels c")) {
                rows.next();
                return rows.getString(1);
            }
        });

        assertThat(storedHash).isNotEqualTo(token).isEqualTo(Hashes.sha256Hex(token));
        assertThat(wholeRow).doesNotContain(token);
        assertThat(Json.write(manager.overview())).doesNotContain(token).doesNotContain(storedHash);
        assertThat(stored(channelId(1)).toString()).doesNotContain(storedHash);
    }

    @Test
    void aNotificationIsRecordedWhileAWatchIsAtGoogle() throws Exception {
        ChannelManager manager = manager();
        new SyncStateRepository(database.dataSource()).ensure(CALENDAR);
        CountDownLatch release = google.holdWatches();
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            Future<ChannelManager.Watched> watch = threads.submit(() -> manager.ensureChannel(CALENDAR));
            await().atMost(Duration.ofSeconds(20)).until(() -> database.count(
                    "select count(*) from pg_locks where locktype = 'advisory' and granted") >= 1);
            Instant notifiedAt = clock.instant();

            // The webhook's update of the calendar's row does not wait for the watch at Google.
            CompletableFuture.runAsync(() -> new SyncStateRepository(database.dataSource())
                    .recordNotification(CALENDAR, notifiedAt)).get(10, TimeUnit.SECONDS);

            release.countDown();
            assertThat(watch.get(20, TimeUnit.SECONDS).created()).isTrue();
            assertThat(new SyncStateRepository(database.dataSource()).find(CALENDAR).orElseThrow().lastNotificationAt())
                    .isEqualTo(notifiedAt);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void fourConcurrentWatchesOfOneCalendarOpenExactlyOneChannel() throws Exception {
        ChannelManager manager = manager();
        CountDownLatch release = google.holdWatches();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<ChannelManager.Watched>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(threads.submit(() -> manager.ensureChannel(CALENDAR)));
            }
            // The first caller is at Google (held); the three others wait for the calendar's channel lock.
            await().atMost(Duration.ofSeconds(20)).until(() -> database.count(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                            + "and query like '%pg_advisory_xact_lock%'") == 3);
            release.countDown();

            List<ChannelManager.Watched> results = new ArrayList<>();
            for (Future<ChannelManager.Watched> call : calls) {
                results.add(call.get(20, TimeUnit.SECONDS));
            }
            assertThat(results).extracting(watched -> watched.channel().id()).containsOnly(channelId(1));
            assertThat(results).filteredOn(ChannelManager.Watched::created).hasSize(1);
            assertThat(google.watchCalls()).hasSize(1);
            assertThat(database.count("select count(*) from calendar_watch_channels")).isOne();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void onlyASyncedCalendarCanBeWatched() {
        assertThatThrownBy(() -> manager().ensureChannel("someone-else@pipedesk.example"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.details()).asInstanceOf(InstanceOfAssertFactories.LIST)
                            .extracting(detail -> ((FieldError) detail).field()).containsExactly("calendar_id");
                });

        assertThat(google.calls()).isEmpty();
        assertThat(database.count("select count(*) from calendar_sync_state")).isZero();
    }

    @Test
    void primaryIsWatchedUnderTheCalendarsOwnIdSoBothNamesShareOneChannel() {
        ChannelManager manager = manager(settings(Set.of(CalendarIds.PRIMARY), BASE_URL));

        ChannelManager.Watched byAlias = manager.ensureChannel(CalendarIds.PRIMARY);
        ChannelManager.Watched byId = manager.ensureChannel(OWNER);

        assertThat(byAlias.channel().calendarId()).isEqualTo(OWNER);
        assertThat(byAlias.created()).isTrue();
        assertThat(byId.created()).isFalse();
        assertThat(byId.channel().id()).isEqualTo(byAlias.channel().id());
        assertThat(google.watchCalls()).containsExactly("watch " + OWNER + " " + channelId(1));
        assertThat(manager.overview()).extracting(CalendarSyncView::calendarId).containsExactly(OWNER);
    }

    @Test
    void withoutAWebhookBaseUrlNoChannelIsOpenedButTheBackstopStillRuns() {
        ChannelManager manager = manager(settings(Set.of(CALENDAR), null));

        assertThatThrownBy(() -> manager.ensureChannel(CALENDAR)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.VALIDATION_FAILED))
                .satisfies(e -> assertThat(Json.write(((ApiException) e).details())).contains("WEBHOOK_BASE_URL"));
        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.NO_WEBHOOK);
        assertThat(renewal.syncRequested()).isEqualTo(SyncRequest.Reason.BACKSTOP);
        assertThat(google.calls()).isEmpty();
        assertThat(syncRequests()).extracting(SyncRequest::reason).containsExactly(SyncRequest.Reason.BACKSTOP);
    }

    // --- Google's answers to events.watch ------------------------------------------------------

    @Test
    void theStoredExpiryIsTheOneGoogleAnsweredAndAShortClampDoesNotChurnChannels() {
        google.clampTtlTo(Duration.ofHours(1));
        ChannelManager manager = manager();

        ChannelManager.Watched opened = manager.ensureChannel(CALENDAR);

        assertThat(google.watchRequests().getFirst().ttl()).isEqualTo(TTL);
        assertThat(stored(channelId(1)).expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));
        assertThat(opened.channel().expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));
        // The hour is shorter than the renewal margin (a day): the channel is renewed at half its life, not at once.
        clock.advance(Duration.ofMinutes(29));
        assertThat(manager.ensureChannel(CALENDAR).created()).isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(only(manager.renewAll()).channel()).isEqualTo(ChannelAction.RENEWED);
        assertThat(google.watchCalls()).hasSize(2);
    }

    @Test
    void aChannelIdGoogleHasSeenIsReplacedByANewOne() {
        google.idUsedBefore(channelId(1));

        ChannelManager.Watched opened = manager().ensureChannel(CALENDAR);

        assertThat(opened.channel().id()).isEqualTo(channelId(2));
        assertThat(google.watchCalls()).containsExactly("watch " + CALENDAR + " " + channelId(1),
                "watch " + CALENDAR + " " + channelId(2));
        assertThat(database.count("select count(*) from calendar_watch_channels")).isOne();
        assertThat(stored(channelId(2)).tokenSha256()).isEqualTo(Hashes.sha256Hex(CountingSecrets.token(2)));
    }

    @Test
    void aSecondTakenChannelIdIsNotRetriedAgain() {
        google.idUsedBefore(channelId(1));
        google.idUsedBefore(channelId(2));

        assertThatThrownBy(() -> manager().ensureChannel(CALENDAR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.UPSTREAM_FAILED));

        assertThat(google.watchCalls()).hasSize(2);
        assertThat(database.count("select count(*) from calendar_watch_channels")).isZero();
        assertThat(state().status()).isEqualTo(SyncStatus.SYNCING);
    }

    @Test
    void pushNotSupportedMakesTheCalendarPollOnlyAndIsNotAskedAgainByTheScheduledRun() {
        google.failNextWatch(CALENDAR, InMemoryGoogleFeed.rejected(400, "pushNotSupportedForRequestedResource"));
        ChannelManager manager = manager();

        assertThatThrownBy(() -> manager.ensureChannel(CALENDAR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.VALIDATION_FAILED))
                .satisfies(e -> assertThat(Json.write(((ApiException) e).details())).contains("poll_only"));
        assertThat(state().status()).isEqualTo(SyncStatus.POLL_ONLY);
        assertThat(state().failureReason()).contains("pushNotSupportedForRequestedResource");

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(google.watchCalls()).hasSize(1);
        assertThat(renewal.channel()).isEqualTo(ChannelAction.POLL_ONLY);
        assertThat(renewal.state()).isEqualTo(SyncStatus.POLL_ONLY);
        assertThat(renewal.syncRequested()).isEqualTo(SyncRequest.Reason.BACKSTOP);
        assertThat(liveChannels()).isZero();
    }

    @Test
    void anExplicitWatchOfAPollOnlyCalendarAsksGoogleAgainAndPushWorkingEndsPollOnly() {
        new SyncStateRepository(database.dataSource()).ensure(CALENDAR);
        new SyncStateRepository(database.dataSource()).markPollOnly(CALENDAR,
                ChannelManager.WATCH_FAILURE + "Google answered 400 pushNotSupportedForRequestedResource", START);

        ChannelManager.Watched watched = manager().ensureChannel(CALENDAR);

        assertThat(watched.created()).isTrue();
        assertThat(google.watchCalls()).hasSize(1);
        assertThat(state().status()).isEqualTo(SyncStatus.SYNCING);
        assertThat(state().failureReason()).isNull();
    }

    @Test
    void aFailureTheSyncRecordedIsNotClearedByOpeningAChannel() {
        new SyncStateRepository(database.dataSource()).ensure(CALENDAR);
        new SyncStateRepository(database.dataSource()).markFailed(CALENDAR, "410 on every full sync", START);

        CalendarRenewal renewal = only(manager().renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.CREATED);
        assertThat(state().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(state().failureReason()).isEqualTo("410 on every full sync");
    }

    @Test
    void aCalendarGoogleDoesNotFindIsMarkedFailedItsChannelsStoppedAndRetriedOncePerRun() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(6).plusHours(1));
        google.failNextWatch(CALENDAR, InMemoryGoogleFeed.notFound());

        CalendarRenewal failedRun = only(manager.renewAll());

        assertThat(failedRun.channel()).isEqualTo(ChannelAction.FAILED);
        assertThat(failedRun.failureReason()).contains("404");
        assertThat(failedRun.stoppedChannels()).containsExactly(channelId(1));
        assertThat(state().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(state().failureReason()).contains("404");
        assertThat(google.calls()).endsWith("watch " + CALENDAR + " " + channelId(2), "stop " + channelId(1));
        assertThat(google.openChannels()).isEmpty();
        assertThat(liveChannels()).isZero();

        google.failNextWatch(CALENDAR, InMemoryGoogleFeed.notFound());
        clock.advance(Duration.ofMinutes(1));
        assertThat(only(manager.renewAll()).channel()).isEqualTo(ChannelAction.FAILED);
        assertThat(google.watchCalls()).hasSize(3);

        clock.advance(Duration.ofMinutes(1));
        CalendarRenewal recovered = only(manager.renewAll());

        assertThat(google.watchCalls()).hasSize(4);
        assertThat(recovered.channel()).isEqualTo(ChannelAction.CREATED);
        assertThat(recovered.state()).isEqualTo(SyncStatus.SYNCING);
        assertThat(state().failureReason()).isNull();
    }

    @Test
    void aForbiddenCalendarIsMarkedFailedAndTheClientToldGoogleRefused() {
        google.failNextWatch(CALENDAR, InMemoryGoogleFeed.rejected(403, "forbidden"));

        assertThatThrownBy(() -> manager().ensureChannel(CALENDAR))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.UPSTREAM_FAILED))
                .satisfies(e -> assertThat(((ApiException) e).details())
                        .isEqualTo(Map.of("google_status", 403, "google_reason", "forbidden")));

        assertThat(state().status()).isEqualTo(SyncStatus.FAILED);
    }

    @Test
    void aTransientWatchFailureKeepsTheOldChannelAndChangesNoState() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(6).plusHours(1));
        google.failNextWatch(CALENDAR, InMemoryGoogleFeed.unavailable());

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.FAILED);
        assertThat(renewal.failureReason()).contains("503");
        assertThat(renewal.channelId()).isEqualTo(channelId(1));
        assertThat(google.calls()).doesNotContain("stop " + channelId(1));
        assertThat(stored(channelId(1)).stopped()).isFalse();
        assertThat(state().status()).isEqualTo(SyncStatus.SYNCING);
    }

    // --- renewal ------------------------------------------------------------------------------

    @Test
    void renewalOpensTheNewChannelBeforeStoppingTheOld() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(6).plusHours(1));   // 23 hours left: within the renewal margin

        RenewalReport report = manager.renewAll();

        assertThat(google.calls()).containsExactly("watch " + CALENDAR + " " + channelId(1),
                "watch " + CALENDAR + " " + channelId(2), "stop " + channelId(1));
        CalendarRenewal renewal = only(report);
        assertThat(renewal.channel()).isEqualTo(ChannelAction.RENEWED);
        assertThat(renewal.channelId()).isEqualTo(channelId(2));
        assertThat(renewal.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(renewal.stoppedChannels()).containsExactly(channelId(1));
        assertThat(stored(channelId(1)).stopped()).isTrue();
        assertThat(stored(channelId(1)).replacedBy()).isEqualTo(channelId(2));
        assertThat(stored(channelId(2)).stopped()).isFalse();
        assertThat(liveChannels()).isOne();
        assertThat(Json.MAPPER.readTree(Json.write(report)).get("calendars").get(0).get("channel").asString())
                .isEqualTo("renewed");
    }

    @Test
    void aFreshChannelIsKept() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(5));

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.KEPT);
        assertThat(renewal.channelId()).isEqualTo(channelId(1));
        assertThat(google.calls()).hasSize(1);
    }

    @Test
    void anOldChannelGoogleNoLongerKnowsCountsAsStoppedWithoutARetry() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(6).plusHours(1));
        google.forget(channelId(1));

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.stoppedChannels()).containsExactly(channelId(1));
        assertThat(renewal.stopFailures()).isEmpty();
        assertThat(google.calls()).filteredOn(call -> call.startsWith("stop ")).containsExactly("stop " + channelId(1));
        assertThat(stored(channelId(1)).stopped()).isTrue();
    }

    @Test
    void aStopThatFailsLeavesTheChannelLiveForTheNextRun() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(6).plusHours(1));
        google.failNextStop(channelId(1), InMemoryGoogleFeed.unavailable());

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.stopFailures()).singleElement().asString().startsWith(channelId(1) + ": ").contains("503");
        assertThat(stored(channelId(1)).stopped()).isFalse();
        assertThat(liveChannels()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        CalendarRenewal next = only(manager.renewAll());

        assertThat(next.channel()).isEqualTo(ChannelAction.KEPT);
        assertThat(next.stoppedChannels()).containsExactly(channelId(1));
        assertThat(stored(channelId(1)).replacedBy()).isEqualTo(channelId(2));
        assertThat(liveChannels()).isOne();
        assertThat(google.openChannels()).containsExactly(channelId(2));
    }

    @Test
    void orphanLiveChannelsAreStoppedLeavingOnlyTheFreshest() {
        WatchChannelRepository repository = new WatchChannelRepository(database.dataSource());
        new SyncStateRepository(database.dataSource()).ensure(CALENDAR);
        for (String id : List.of("orphan-a", "orphan-b", "orphan-c")) {
            WatchedChannel answer = google.watch(CALENDAR, new WatchRequest(id, ADDRESS, "token-" + id, TTL));
            Transactions.inTransaction(database.dataSource(), connection -> {
                repository.insert(connection, new WatchChannel(id, CALENDAR, answer.resourceId(),
                        Hashes.sha256Hex("token-" + id), ADDRESS, answer.expiresAt(), false, null, null,
                        clock.instant(), null));
                return null;
            });
            clock.advance(Duration.ofHours(1));
        }

        CalendarRenewal renewal = only(manager().renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.KEPT);
        assertThat(renewal.channelId()).isEqualTo("orphan-c");
        assertThat(renewal.stoppedChannels()).containsExactlyInAnyOrder("orphan-a", "orphan-b");
        assertThat(google.openChannels()).containsExactly("orphan-c");
        assertThat(liveChannels()).isOne();
        assertThat(stored("orphan-a").replacedBy()).isEqualTo("orphan-c");
    }

    @Test
    void twoConcurrentRunsOpenExactlyOneNewChannel() throws Exception {
        manager().ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(6).plusHours(1));
        ChannelManager first = manager();
        ChannelManager second = manager();
        CountDownLatch release = google.holdWatches();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<RenewalReport>> runs = new ArrayList<>();
            for (ChannelManager run : List.of(first, second)) {
                runs.add(threads.submit((Callable<RenewalReport>) run::renewAll));
            }
            // One run is at Google (held), the other waits for the calendar's channel lock.
            await().atMost(Duration.ofSeconds(20)).until(() -> database.count(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                            + "and query like '%pg_advisory_xact_lock%'") == 1);
            release.countDown();

            List<ChannelAction> actions = new ArrayList<>();
            for (Future<RenewalReport> run : runs) {
                actions.add(only(run.get(20, TimeUnit.SECONDS)).channel());
            }
            assertThat(actions).containsExactlyInAnyOrder(ChannelAction.RENEWED, ChannelAction.KEPT);
            assertThat(google.watchCalls()).hasSize(2);   // the first channel's, and one renewal
            assertThat(liveChannels()).isOne();
            assertThat(google.openChannels()).containsExactly(channelId(2));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void channelsThatExpiredUnstoppedAreMarkedStoppedWithoutCallingGoogle() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(TTL.plusDays(1));

        RenewalReport report = manager.renewAll();

        assertThat(report.expiredChannels()).containsExactly(channelId(1));
        assertThat(stored(channelId(1)).stopped()).isTrue();
        assertThat(google.calls()).doesNotContain("stop " + channelId(1));
        assertThat(only(report).channel()).isEqualTo(ChannelAction.CREATED);
        assertThat(only(report).channelId()).isEqualTo(channelId(2));
    }

    @Test
    void aNewCalendarGetsItsChannelAndAFirstSyncFromTheScheduledRun() {
        CalendarRenewal renewal = only(manager().renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.CREATED);
        assertThat(renewal.syncRequested()).isEqualTo(SyncRequest.Reason.FIRST_SYNC);
        assertThat(syncRequests()).extracting(SyncRequest::reason).containsExactly(SyncRequest.Reason.FIRST_SYNC);
    }

    // --- the backstop -------------------------------------------------------------------------

    private void lastSyncAndNotification(Instant lastSync, Instant lastNotification) {
        new SyncStateRepository(database.dataSource()).ensure(CALENDAR);
        Transactions.withAutoCommit(database.dataSource(), connection -> {
            try (var update = connection.prepareStatement("update calendar_sync_state set sync_token = 'a-token', "
                    + "last_sync_at = ?, last_notification_at = ? where calendar_id = ?")) {
                update.setTimestamp(1, lastSync == null ? null : Timestamp.from(lastSync));
                update.setTimestamp(2, lastNotification == null ? null : Timestamp.from(lastNotification));
                update.setString(3, CALENDAR);
                return update.executeUpdate();
            }
        });
    }

    @Test
    void aCalendarQuietForLongerThanTheBackstopIntervalGetsABackstopSync() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        syncRequests();
        lastSyncAndNotification(START.minus(BACKSTOP).minusSeconds(1), START.minus(Duration.ofHours(1)));

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.syncRequested()).isEqualTo(SyncRequest.Reason.BACKSTOP);
        assertThat(syncRequests()).singleElement().satisfies(request -> {
            assertThat(request.calendarId()).isEqualTo(CALENDAR);
            assertThat(request.reason()).isEqualTo(SyncRequest.Reason.BACKSTOP);
        });
    }

    @Test
    void aRecentlyNotifiedCalendarGetsNoBackstopSync() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        syncRequests();
        lastSyncAndNotification(START.minus(Duration.ofHours(1)), START.minus(BACKSTOP).plusSeconds(1));

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.syncRequested()).isNull();
        assertThat(syncRequests()).isEmpty();
    }

    @Test
    void aPollOnlyCalendarGetsABackstopSyncInEveryRunHoweverRecentItsSync() {
        lastSyncAndNotification(START.minusSeconds(5), null);
        new SyncStateRepository(database.dataSource()).markPollOnly(CALENDAR, "push not supported", START);
        ChannelManager manager = manager();

        CalendarRenewal first = only(manager.renewAll());
        clock.advance(Duration.ofMinutes(1));
        CalendarRenewal second = only(manager.renewAll());

        assertThat(List.of(first, second)).extracting(CalendarRenewal::syncRequested)
                .containsOnly(SyncRequest.Reason.BACKSTOP);
        assertThat(List.of(first, second)).extracting(CalendarRenewal::channel).containsOnly(ChannelAction.POLL_ONLY);
        assertThat(syncRequests()).extracting(SyncRequest::reason)
                .containsExactly(SyncRequest.Reason.BACKSTOP, SyncRequest.Reason.BACKSTOP);
        assertThat(google.calls()).isEmpty();
    }

    // --- GET and DELETE -----------------------------------------------------------------------

    @Test
    void theOverviewShowsEachCalendarsStateAndChannels() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        clock.advance(Duration.ofDays(6).plusHours(1));
        manager.renewAll();
        new WatchChannelRepository(database.dataSource()).recordMessage(channelId(2), 7);
        lastSyncAndNotification(clock.instant().minusSeconds(30), null);
        database.execute("update calendar_sync_state set sync_token_at = '" + clock.instant().minusSeconds(90) + "'");

        List<CalendarSyncView> overview = manager.overview();

        assertThat(overview).singleElement().satisfies(calendar -> {
            assertThat(calendar.calendarId()).isEqualTo(CALENDAR);
            assertThat(calendar.configured()).isTrue();
            assertThat(calendar.state()).isEqualTo(SyncStatus.SYNCING);
            assertThat(calendar.syncTokenAgeSeconds()).isEqualTo(90L);
            assertThat(calendar.lastSyncAt()).isEqualTo(clock.instant().minusSeconds(30));
            assertThat(calendar.channels()).extracting(ChannelView::id).containsExactly(channelId(2), channelId(1));
            assertThat(calendar.channels()).extracting(ChannelView::state)
                    .containsExactly(ChannelState.ACTIVE, ChannelState.STOPPED);
            assertThat(calendar.channels().get(0).lastMessageNumber()).isEqualTo(7L);
            assertThat(calendar.channels().get(1).replacedBy()).isEqualTo(channelId(2));
        });
        assertThat(Json.MAPPER.readTree(Json.write(overview)).get(0).propertyNames()).containsExactly("calendar_id",
                "configured", "state", "failure_reason", "last_sync_at", "last_full_sync_at", "last_notification_at",
                "sync_token_age_seconds", "skipped_events", "channels");
    }

    @Test
    void aCalendarNoLongerConfiguredStillShowsButIsNotRenewed() {
        manager(settings(Set.of(CALENDAR, "old@pipedesk.example"), BASE_URL)).ensureChannel("old@pipedesk.example");

        ChannelManager manager = manager();
        List<CalendarSyncView> overview = manager.overview();
        RenewalReport report = manager.renewAll();

        assertThat(overview).extracting(CalendarSyncView::calendarId, CalendarSyncView::configured)
                .containsExactly(tuple("old@pipedesk.example", false), tuple(CALENDAR, true));
        assertThat(report.calendars()).extracting(CalendarRenewal::calendarId).containsExactly(CALENDAR);
    }

    @Test
    void stoppingAChannelStopsItInGoogleAndMarksItStopped() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);

        ChannelView stopped = manager.stop(channelId(1));
        ChannelView again = manager.stop(channelId(1));

        assertThat(stopped.state()).isEqualTo(ChannelState.STOPPED);
        assertThat(stopped.stoppedAt()).isEqualTo(START);
        assertThat(again).isEqualTo(stopped);
        assertThat(google.calls()).filteredOn(call -> call.startsWith("stop ")).containsExactly("stop " + channelId(1));
        assertThat(google.openChannels()).isEmpty();
        assertThat(liveChannels()).isZero();
    }

    @Test
    void stoppingAChannelGoogleNoLongerKnowsMarksItStopped() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        google.forget(channelId(1));

        assertThat(manager.stop(channelId(1)).state()).isEqualTo(ChannelState.STOPPED);
        assertThat(stored(channelId(1)).stopped()).isTrue();
    }

    @Test
    void aStopGoogleFailsLeavesTheChannelLive() {
        ChannelManager manager = manager();
        manager.ensureChannel(CALENDAR);
        google.failNextStop(channelId(1), InMemoryGoogleFeed.unavailable());

        assertThatThrownBy(() -> manager.stop(channelId(1)))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.UPSTREAM_FAILED));

        assertThat(stored(channelId(1)).stopped()).isFalse();
    }

    @Test
    void stoppingAnUnknownChannelIsNotFound() {
        assertThatThrownBy(() -> manager().stop("no-such-channel"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(google.calls()).isEmpty();
    }
}
