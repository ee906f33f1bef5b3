package dev.pipedesk.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.ChannelInfo;
import dev.pipedesk.emulator.calendar.DeliveryAttempt;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.ReceivedCall;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ChannelManager} against the real Google Calendar emulator (through the real
 * {@link GoogleCalendarGateway}), a real PostgreSQL and a real FIFO sync queue in ElasticMQ. The
 * emulator clamps channel lifetimes to one hour (PipeDesk asks for seven days) and pushes over
 * http to {@link WebhookEndpoint}, where {@link NotificationGate} answers as the webhook function
 * does. Channel ids and tokens are the real ones ({@link ChannelSecrets#secure()}); the tests read
 * them back from the emulator and the table.
 *
 * <p>The channel manager's clock starts at the real time (the emulator's expiries are real
 * instants) and is moved by hand; the emulator keeps the real time, so a channel that is due for
 * renewal in the manager's eyes is still live in the emulator.
 */
@Tag("integration")
class ChannelRenewalEmulatorTest {
    private static final Duration MAX_CHANNEL_TTL = Duration.ofHours(1);
    private static final Duration ASKED_TTL = Duration.ofDays(7);
    /** Past half the clamped hour: a channel opened at the start is no longer fresh (the margin is half its life). */
    private static final Duration PAST_HALF_LIFE = Duration.ofMinutes(31);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CALENDAR = SyncBackends.OWNER;
    /** Google refuses push for generated calendars (holidays, birthdays, resources). */
    private static final String HOLIDAYS = "en.usa#holiday@group.v.calendar.google.com";

    @RegisterExtension
    static final SyncBackends BACKENDS = new SyncBackends(EmulatorOptions.defaults()
            .withAllowHttpWebhooks(true).withMaxChannelTtl(MAX_CHANNEL_TTL));

    private static WebhookEndpoint webhook;

    private TestClock clock;
    private GoogleCalendarGateway gateway;
    private WatchChannelRepository channels;
    private SyncStateRepository states;

    @BeforeAll
    static void startWebhook() {
        webhook = WebhookEndpoint.start();
    }

    @AfterAll
    static void stopWebhook() {
        webhook.close();
    }

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.now());
        gateway = BACKENDS.gateway();
        channels = new WatchChannelRepository(BACKENDS.dataSource());
        states = new SyncStateRepository(BACKENDS.dataSource());
        webhook.serve(new NotificationGate(channels, states, BACKENDS.syncQueue(), Clock.systemUTC()));
    }

    private String address() {
        return webhook.baseUrl() + SyncSettings.WEBHOOK_PATH;
    }

    private SyncSettings settings(Set<String> calendars) {
        return new SyncSettings(calendars, webhook.baseUrl(), ASKED_TTL, Duration.ofDays(1), Duration.ofMinutes(10), 3);
    }

    private ChannelManager manager(Set<String> calendars) {
        return new ChannelManager(BACKENDS.dataSource(), gateway, new CalendarIds(BACKENDS.dataSource(), gateway),
                BACKENDS.syncQueue(), settings(calendars), clock, ChannelSecrets.secure());
    }

    private ChannelManager manager() {
        return manager(Set.of(CALENDAR));
    }

    private static CalendarRenewal only(RenewalReport report) {
        assertThat(report.calendars()).hasSize(1);
        return report.calendars().getFirst();
    }

    private WatchChannel stored(String channelId) {
        return channels.find(channelId).orElseThrow();
    }

    /** Ids of the channels the table holds as live (active and not expired). */
    private List<String> liveInTheTable() {
        return channels.live(CALENDAR, Instant.now()).stream().map(WatchChannel::id).toList();
    }

    /** Ids of the channels the emulator still serves (not stopped, not expired). */
    private static List<String> liveInTheEmulator() {
        Instant now = Instant.now();
        return BACKENDS.google().channels().stream().filter(c -> !c.stopped() && c.expiration().isAfter(now))
                .map(ChannelInfo::id).toList();
    }

    private static ChannelInfo inTheEmulator(String channelId) {
        return BACKENDS.google().channels().stream().filter(c -> c.id().equals(channelId)).findFirst().orElseThrow();
    }

    /** The channel calls the emulator received, in order: {@code watch <channel id>} or {@code stop <channel id> -> <status>}. */
    private static List<String> channelCalls() {
        return BACKENDS.google().calls("POST", "/events/watch$|/channels/stop$").stream()
                .map(ChannelRenewalEmulatorTest::describe).toList();
    }

    private static String describe(ReceivedCall call) {
        String id = Json.MAPPER.readTree(call.body()).path("id").asString();
        return call.path().endsWith("/watch") ? "watch " + id : "stop " + id + " -> " + call.status();
    }

    private static ObjectNode event(String summary) {
        Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("summary", summary);
        event.putObject("start").put("dateTime", start.toString());
        event.putObject("end").put("dateTime", start.plus(1, ChronoUnit.HOURS).toString());
        return event;
    }

    /** A change made in Google by someone else: the emulator pushes {@code exists} on the calendar's channels. */
    private static void someoneChangesTheCalendar() {
        BACKENDS.google().insertAsUser(CALENDAR, "colleague@example.com", event("Made in Google"));
    }

    private static List<WebhookEndpoint.Admitted> awaitAdmitted(String channelId, String state) {
        return await().atMost(WAIT).until(() -> webhook.admitted(channelId).stream()
                .filter(a -> state.equals(a.resourceState())).toList(), list -> !list.isEmpty());
    }

    /**
     * The sync requests notifications put on the queue (received and deleted). A channel's
     * {@code sync} message may add a first sync at any moment (it is delivered asynchronously), so
     * only notification requests are compared.
     */
    private static List<SyncRequest> notificationRequests() {
        return BACKENDS.syncRequests().stream().filter(r -> r.reason() == SyncRequest.Reason.NOTIFICATION).toList();
    }

    private static ApiException apiException(Throwable e) {
        return (ApiException) e;
    }

    // --- opening a channel and its pushes -----------------------------------------------------

    @Test
    void aWatchOpensAChannelInGoogleWithOurAddressAndATokenOnlyItsHashOfIsStoredAndItsPushesReachTheWebhook() {
        ChannelManager.Watched watched = manager().ensureChannel(CALENDAR);

        String channelId = watched.channel().id();
        ChannelInfo opened = inTheEmulator(channelId);
        WatchChannel row = stored(channelId);
        assertThat(BACKENDS.google().channels()).hasSize(1);
        assertThat(opened.calendarId()).isEqualTo(CALENDAR);
        assertThat(opened.address()).isEqualTo(address()).isEqualTo(row.address());
        assertThat(opened.token()).hasSizeGreaterThanOrEqualTo(43);   // 32 random bytes, base64url
        assertThat(row.tokenSha256()).isEqualTo(Hashes.sha256Hex(opened.token())).isNotEqualTo(opened.token());
        assertThat(row.resourceId()).isEqualTo(opened.resourceId());
        assertThat(channelCalls()).containsExactly("watch " + channelId);

        // The channel's sync message (number 1) reaches the webhook and is answered 2xx. It may
        // overtake the commit of the channel's row (Google sends it before the watch answer
        // arrives): then it is ignored as unknown, which is 2xx as well.
        BACKENDS.google().awaitDeliveryAttempts(attempts -> attempts.stream()
                .anyMatch(a -> a.channelId().equals(channelId) && a.messageNumber() == 1), WAIT);
        assertThat(BACKENDS.google().deliveryAttempts(channelId)).singleElement().satisfies(attempt -> {
            assertThat(attempt.messageNumber()).isEqualTo(1);
            assertThat(attempt.resourceState()).isEqualTo("sync");
            assertThat(attempt.outcome()).isEqualTo(DeliveryAttempt.Outcome.DELIVERED);
            assertThat(attempt.statusCode()).isEqualTo(200);
        });
        assertThat(awaitAdmitted(channelId, "sync")).singleElement()
                .satisfies(admitted -> assertThat(admitted.verdict().accepted()).isTrue());

        someoneChangesTheCalendar();

        WebhookEndpoint.Admitted change = awaitAdmitted(channelId, "exists").getFirst();
        assertThat(change.notification().token()).isEqualTo(opened.token());
        assertThat(change.notification().resourceId()).isEqualTo(row.resourceId());
        assertThat(change.verdict()).isInstanceOfSatisfying(Verdict.Enqueued.class, enqueued -> {
            assertThat(enqueued.request().calendarId()).isEqualTo(CALENDAR);
            assertThat(enqueued.request().channelId()).isEqualTo(channelId);
        });
        long number = Long.parseLong(change.notification().messageNumber());
        assertThat(notificationRequests()).singleElement().satisfies(request -> {
            assertThat(request.channelId()).isEqualTo(channelId);
            assertThat(request.messageNumber()).isEqualTo(number);
        });
        assertThat(stored(channelId).lastMessageNumber()).isEqualTo(number);
    }

    @Test
    void theStoredExpiryIsTheOneTheEmulatorAnsweredNotTheLifetimeAskedFor() {
        Instant before = Instant.now();
        ChannelManager manager = manager();
        String channelId = manager.ensureChannel(CALENDAR).channel().id();
        Instant after = Instant.now();

        JsonNode watchBody = Json.MAPPER.readTree(BACKENDS.google().calls("POST", "/events/watch$").getFirst().body());
        assertThat(watchBody.path("params").path("ttl").asString()).isEqualTo(Long.toString(ASKED_TTL.toSeconds()));
        Instant answered = inTheEmulator(channelId).expiration().truncatedTo(ChronoUnit.MILLIS);
        assertThat(stored(channelId).expiresAt()).isEqualTo(answered)
                .isBetween(before.plus(MAX_CHANNEL_TTL).truncatedTo(ChronoUnit.MILLIS), after.plus(MAX_CHANNEL_TTL));
        // The clamped hour is shorter than the renewal margin (a day): the next run keeps the channel.
        assertThat(only(manager.renewAll()).channel()).isEqualTo(ChannelAction.KEPT);
        assertThat(channelCalls()).containsExactly("watch " + channelId);
    }

    // --- renewal ------------------------------------------------------------------------------

    @Test
    void renewalOpensTheNewChannelInGoogleBeforeStoppingTheOldAndLeavesOneLiveChannel() {
        ChannelManager manager = manager();
        String old = manager.ensureChannel(CALENDAR).channel().id();
        BACKENDS.google().clearCalls();
        clock.advance(PAST_HALF_LIFE);

        CalendarRenewal renewal = only(manager.renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.RENEWED);
        String successor = renewal.channelId();
        assertThat(successor).isNotEqualTo(old);
        assertThat(channelCalls()).containsExactly("watch " + successor, "stop " + old + " -> 204");
        assertThat(renewal.stoppedChannels()).containsExactly(old);
        assertThat(renewal.stopFailures()).isEmpty();
        assertThat(liveInTheEmulator()).containsExactly(successor);
        assertThat(liveInTheTable()).containsExactly(successor);
        assertThat(stored(old).stopped()).isTrue();
        assertThat(stored(old).replacedBy()).isEqualTo(successor);
        assertThat(stored(successor).expiresAt())
                .isEqualTo(inTheEmulator(successor).expiration().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void aNotificationOnTheChannelARenewalReplacedIsIgnoredAndOnlyTheNewChannelAsksForASync() {
        ChannelManager manager = manager();
        String old = manager.ensureChannel(CALENDAR).channel().id();
        BACKENDS.google().deliverAfterStop(1);   // Google may still send on a channel it was told to stop
        clock.advance(PAST_HALF_LIFE);
        String successor = only(manager.renewAll()).channelId();

        someoneChangesTheCalendar();

        assertThat(awaitAdmitted(old, "exists")).singleElement().satisfies(admitted -> {
            assertThat(admitted.verdict()).isEqualTo(new Verdict.Ignored("channel replaced by " + successor));
            assertThat(admitted.status()).isEqualTo(200);
        });
        assertThat(awaitAdmitted(successor, "exists")).singleElement()
                .satisfies(admitted -> assertThat(admitted.verdict()).isInstanceOf(Verdict.Enqueued.class));
        assertThat(notificationRequests()).singleElement()
                .satisfies(request -> assertThat(request.channelId()).isEqualTo(successor));
        assertThat(stored(old).lastMessageNumber()).isNull();
    }

    @Test
    void aNotificationOnAStoppedChannelIsAnsweredAndIgnored() {
        ChannelManager manager = manager();
        String channelId = manager.ensureChannel(CALENDAR).channel().id();
        BACKENDS.google().deliverAfterStop(1);
        assertThat(manager.stop(channelId).state()).isEqualTo(ChannelState.STOPPED);

        someoneChangesTheCalendar();

        assertThat(awaitAdmitted(channelId, "exists")).singleElement().satisfies(admitted -> {
            assertThat(admitted.verdict()).isEqualTo(new Verdict.Ignored("channel stopped"));
            assertThat(admitted.status()).isEqualTo(200);
        });
        assertThat(BACKENDS.google().deliveryAttempts(channelId)).filteredOn(a -> a.resourceState().equals("exists"))
                .singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(DeliveryAttempt.Outcome.DELIVERED));
        assertThat(notificationRequests()).isEmpty();
        assertThat(liveInTheEmulator()).isEmpty();
    }

    // --- channels.stop answered 404 -----------------------------------------------------------

    @Test
    void anOldChannelTheEmulatorNoLongerKnowsCountsAsStoppedAfterOneStopCall() {
        ChannelManager manager = manager();
        String old = manager.ensureChannel(CALENDAR).channel().id();
        BACKENDS.google().reset();   // Google forgets every channel (and its calls)
        clock.advance(PAST_HALF_LIFE);

        CalendarRenewal renewal = only(manager.renewAll());

        String successor = renewal.channelId();
        assertThat(renewal.channel()).isEqualTo(ChannelAction.RENEWED);
        assertThat(channelCalls()).containsExactly("watch " + successor, "stop " + old + " -> 404");
        assertThat(renewal.stoppedChannels()).containsExactly(old);
        assertThat(renewal.stopFailures()).isEmpty();
        assertThat(stored(old).stopped()).isTrue();
        assertThat(stored(old).replacedBy()).isEqualTo(successor);
        assertThat(liveInTheTable()).containsExactly(successor);
        assertThat(liveInTheEmulator()).containsExactly(successor);

        clock.advance(Duration.ofMinutes(1));
        assertThat(only(manager.renewAll()).channel()).isEqualTo(ChannelAction.KEPT);
        assertThat(channelCalls()).hasSize(2);
    }

    @Test
    void stoppingAChannelTheEmulatorNeverSawMarksItStoppedAfterOneStopCall() {
        states.ensure(CALENDAR);
        String unknown = "never-opened-in-google";
        Transactions.inTransaction(BACKENDS.dataSource(), connection -> {
            channels.insert(connection, new WatchChannel(unknown, CALENDAR, "resource-google-never-gave",
                    Hashes.sha256Hex("some-token"), address(), clock.instant().plus(MAX_CHANNEL_TTL), false, null,
                    null, clock.instant(), null));
            return null;
        });

        ChannelView stopped = manager().stop(unknown);

        assertThat(stopped.state()).isEqualTo(ChannelState.STOPPED);
        assertThat(stored(unknown).stopped()).isTrue();
        assertThat(channelCalls()).containsExactly("stop " + unknown + " -> 404");
    }

    // --- two runs at once, orphans ------------------------------------------------------------

    @Test
    void twoConcurrentRunsOpenExactlyOneNewChannelInGoogle() throws Exception {
        String old = manager().ensureChannel(CALENDAR).channel().id();
        BACKENDS.google().clearCalls();
        clock.advance(PAST_HALF_LIFE);
        ChannelManager first = manager();
        ChannelManager second = manager();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = BACKENDS.dataSource().getConnection()) {
            // The test holds the calendar's channel lock, so both runs reach it and queue behind it.
            holder.setAutoCommit(false);
            assertThat(states.lockChannels(holder, CALENDAR)).isPresent();
            List<Future<RenewalReport>> runs = new ArrayList<>();
            for (ChannelManager run : List.of(first, second)) {
                runs.add(threads.submit((Callable<RenewalReport>) () -> {
                    start.await(20, TimeUnit.SECONDS);
                    return run.renewAll();
                }));
            }
            await().atMost(WAIT).until(() -> BACKENDS.database().count("select count(*) from pg_stat_activity "
                    + "where datname = current_database() and wait_event_type = 'Lock' "
                    + "and query like '%pg_advisory_xact_lock%'") == 2);
            holder.commit();

            List<CalendarRenewal> renewals = new ArrayList<>();
            for (Future<RenewalReport> run : runs) {
                renewals.add(only(run.get(20, TimeUnit.SECONDS)));
            }
            assertThat(renewals).extracting(CalendarRenewal::channel)
                    .containsExactlyInAnyOrder(ChannelAction.RENEWED, ChannelAction.KEPT);
            String successor = renewals.getFirst().channelId();
            assertThat(renewals).extracting(CalendarRenewal::channelId).containsOnly(successor);
            assertThat(channelCalls()).containsExactly("watch " + successor, "stop " + old + " -> 204");
            assertThat(BACKENDS.google().channels()).hasSize(2);
            assertThat(liveInTheEmulator()).containsExactly(successor);
            assertThat(liveInTheTable()).containsExactly(successor);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A channel opened in Google and stored, outside the manager (as a crashed or racing run might have left it). */
    private String openedAndStored(String channelId, Duration ttl) {
        String token = "token-of-" + channelId;
        WatchedChannel answer = gateway.watch(CALENDAR, new WatchRequest(channelId, address(), token, ttl));
        Transactions.inTransaction(BACKENDS.dataSource(), connection -> {
            channels.insert(connection, new WatchChannel(channelId, CALENDAR, answer.resourceId(),
                    Hashes.sha256Hex(token), address(), answer.expiresAt(), false, null, null, clock.instant(), null));
            return null;
        });
        return channelId;
    }

    @Test
    void ofTwoLiveChannelsOfOneCalendarTheRunKeepsTheNewestAndStopsTheOtherInGoogle() {
        states.ensure(CALENDAR);
        String older = openedAndStored("orphan-older", Duration.ofMinutes(50));
        clock.advance(Duration.ofMinutes(1));
        String newer = openedAndStored("orphan-newer", Duration.ofMinutes(55));
        assertThat(liveInTheEmulator()).containsExactlyInAnyOrder(older, newer);
        BACKENDS.google().clearCalls();

        CalendarRenewal renewal = only(manager().renewAll());

        assertThat(renewal.channel()).isEqualTo(ChannelAction.KEPT);
        assertThat(renewal.channelId()).isEqualTo(newer);
        assertThat(renewal.stoppedChannels()).containsExactly(older);
        assertThat(channelCalls()).containsExactly("stop " + older + " -> 204");
        assertThat(liveInTheEmulator()).containsExactly(newer);
        assertThat(liveInTheTable()).containsExactly(newer);
        assertThat(stored(older).replacedBy()).isEqualTo(newer);
    }

    // --- pushNotSupportedForRequestedResource ---------------------------------------------------

    @Test
    void aCalendarGoogleRefusesPushForIsPollOnlyAndSyncedByEveryRunWithoutAskingForAChannelAgain() {
        ChannelManager manager = manager(Set.of(HOLIDAYS));

        CalendarRenewal first = only(manager.renewAll());

        assertThat(first.channel()).isEqualTo(ChannelAction.POLL_ONLY);
        assertThat(first.state()).isEqualTo(SyncStatus.POLL_ONLY);
        assertThat(first.failureReason()).contains("400 pushNotSupportedForRequestedResource");
        assertThat(first.syncRequested()).isEqualTo(SyncRequest.Reason.BACKSTOP);
        assertThat(BACKENDS.google().calls("POST", "/events/watch$")).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(400));
        assertThat(BACKENDS.google().channels()).isEmpty();
        assertThat(BACKENDS.database().count("select count(*) from calendar_watch_channels")).isZero();

        clock.advance(Duration.ofMinutes(1));
        CalendarRenewal second = only(manager.renewAll());

        assertThat(second.channel()).isEqualTo(ChannelAction.POLL_ONLY);
        assertThat(second.syncRequested()).isEqualTo(SyncRequest.Reason.BACKSTOP);
        assertThat(BACKENDS.google().calls("POST", "/events/watch$")).hasSize(1);
        assertThat(BACKENDS.syncRequests()).extracting(SyncRequest::calendarId, SyncRequest::reason)
                .containsExactly(tuple(HOLIDAYS, SyncRequest.Reason.BACKSTOP), tuple(HOLIDAYS, SyncRequest.Reason.BACKSTOP));

        assertThatThrownBy(() -> manager.ensureChannel(HOLIDAYS))
                .satisfies(e -> assertThat(apiException(e).errorCode()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThat(BACKENDS.google().calls("POST", "/events/watch$")).hasSize(2);
        assertThat(states.find(HOLIDAYS).orElseThrow().status()).isEqualTo(SyncStatus.POLL_ONLY);
    }
}
