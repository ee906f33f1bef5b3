package dev.pipedesk.sync;

import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The webhook's verification and enqueueing on a real PostgreSQL (the channels and sync state)
 * and a real FIFO queue in ElasticMQ (group, de-duplication id and SQS's de-duplication itself).
 */
@Tag("integration")
class NotificationGateTest {
    private static final String CALENDAR = "sales@pipedesk.example";
    private static final String TOKEN = "k3Jx9-channel-secret-0123456789abcdefghijklmnopq";
    private static final String RESOURCE = "resource-ret08u3rv24htgh289g";
    private static final String SOURCE_IP = "198.51.100.23";
    private static final AtomicInteger QUEUES = new AtomicInteger();

    private static TestDatabase database;
    private static LocalSqs sqs;
    /** Bound, never listening: connections are refused (SQS or PostgreSQL down). */
    private static Socket refusingPort;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private LogCapture securityLog;
    private LogCapture gateLog;
    private WatchChannelRepository channels;
    private SyncStateRepository syncStates;
    private String queueUrl;
    private NotificationGate gate;

    @BeforeAll
    static void start() throws IOException {
        database = TestDatabase.shared();
        sqs = LocalSqs.startOnFreePort();
        refusingPort = new Socket();
        refusingPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterAll
    static void stop() throws IOException {
        refusingPort.close();
        sqs.close();
    }

    @BeforeEach
    void freshState() {
        database.execute("delete from calendar_watch_channels", "delete from calendar_sync_state");
        channels = new WatchChannelRepository(database.dataSource());
        syncStates = new SyncStateRepository(database.dataSource());
        queueUrl = sqs.createFifoQueue("sync-test-" + QUEUES.incrementAndGet() + ".fifo");
        gate = new NotificationGate(channels, syncStates, queue(sqs.endpoint().toString()), clock);
        securityLog = LogCapture.of(NotificationGate.SECURITY_LOG);
        gateLog = LogCapture.of(NotificationGate.class.getName());
    }

    @AfterEach
    void removeCapture() {
        securityLog.close();
        gateLog.close();
    }

    // --- fixtures ----------------------------------------------------------------------------

    private SyncQueue queue(String endpoint) {
        return SqsSyncQueue.create(new SyncQueueSettings(queueUrl, LocalSqs.REGION, URI.create(endpoint),
                LocalSqs.ACCESS_KEY_ID, LocalSqs.SECRET_ACCESS_KEY, null));
    }

    /** Stores a channel of {@link #CALENDAR} whose token is {@link #TOKEN}, expiring in a day. */
    private WatchChannel channel(String id) {
        return channel(id, clock.instant().plus(Duration.ofDays(1)));
    }

    private WatchChannel channel(String id, Instant expiresAt) {
        syncStates.ensure(CALENDAR);
        WatchChannel channel = new WatchChannel(id, CALENDAR, RESOURCE, Hashes.sha256Hex(TOKEN),
                "https://crm.example/webhooks/google-calendar", expiresAt, false, null, null,
                clock.instant().minus(Duration.ofHours(1)), null);
        Transactions.inTransaction(database.dataSource(), connection -> {
            channels.insert(connection, channel);
            return null;
        });
        return channel;
    }

    private void storeSyncToken(String token) {
        Transactions.inTransaction(database.dataSource(), connection -> {
            syncStates.completeWalk(connection, CALENDAR, token, true, clock.instant());
            return null;
        });
    }

    private static PushNotification notification(String channelId, String token, String resourceId, String state,
                                                 String number) {
        return new PushNotification(channelId, token, resourceId, state, number, SOURCE_IP);
    }

    private static PushNotification valid(String channelId, String state, long number) {
        return notification(channelId, TOKEN, RESOURCE, state, Long.toString(number));
    }

    /** Every message now on the test's queue (received with its FIFO attributes, then deleted). */
    private List<Message> queued() {
        return sqs.receiveAll(queueUrl);
    }

    private static SyncRequest body(Message message) {
        return Json.MAPPER.readValue(message.body(), SyncRequest.class);
    }

    private List<String> lines(String logger) {
        return logged().stream().filter(r -> r.getLoggerName().equals(logger)).map(LogRecord::getMessage).toList();
    }

    /** Every record the gate and the security log published in this test. */
    private List<LogRecord> logged() {
        return java.util.stream.Stream.concat(securityLog.records().stream(), gateLog.records().stream()).toList();
    }

    // --- authentication ----------------------------------------------------------------------

    @Test
    void aWrongTokenIsForbiddenLoggedWithoutTheTokenAndEnqueuesNothing() {
        channel("channel-1");
        String forged = TOKEN.substring(0, TOKEN.length() - 1) + "X";

        Verdict verdict = gate.admit(notification("channel-1", forged, RESOURCE, "exists", "7"));

        assertThat(verdict).isEqualTo(new Verdict.Forbidden("token mismatch"));
        assertThat(queued()).isEmpty();
        assertThat(lines(NotificationGate.SECURITY_LOG)).singleElement().asString()
                .contains("channel=channel-1", "sourceIp=" + SOURCE_IP, "mismatch=token mismatch", "status=403");
        assertThat(logged()).noneMatch(r -> r.getMessage().contains(forged) || r.getMessage().contains(TOKEN));
        assertThat(channels.find("channel-1").orElseThrow().lastMessageNumber()).isNull();
        assertThat(syncStates.find(CALENDAR).orElseThrow().lastNotificationAt()).isNull();
    }

    @Test
    void aMissingTokenIsUnauthenticated() {
        channel("channel-1");

        assertThat(gate.admit(notification("channel-1", null, RESOURCE, "exists", "7")))
                .isEqualTo(new Verdict.Unauthenticated("token missing"));
        assertThat(gate.admit(notification("channel-1", "", RESOURCE, "exists", "8")))
                .isInstanceOf(Verdict.Unauthenticated.class);
        assertThat(queued()).isEmpty();
        assertThat(lines(NotificationGate.SECURITY_LOG)).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("status=401", "sourceIp=" + SOURCE_IP, "token missing"));
    }

    @Test
    void aResourceIdThatIsNotTheChannelsIsForbidden() {
        channel("channel-1");

        Verdict mismatch = gate.admit(notification("channel-1", TOKEN, "another-resource", "exists", "7"));
        Verdict missing = gate.admit(notification("channel-1", TOKEN, null, "exists", "8"));

        assertThat(mismatch).isInstanceOf(Verdict.Forbidden.class);
        assertThat(((Verdict.Forbidden) mismatch).reason()).contains("resource id mismatch");
        assertThat(missing).isEqualTo(new Verdict.Forbidden("resource id missing"));
        assertThat(queued()).isEmpty();
        assertThat(lines(NotificationGate.SECURITY_LOG)).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("status=403", "channel=channel-1").doesNotContain(TOKEN));
    }

    // --- channels that are not live ----------------------------------------------------------

    @Test
    void anUnknownChannelIsIgnoredAndEnqueuesNothing() {
        channel("channel-1");

        Verdict sync = gate.admit(valid("not-stored-yet", "sync", 1));
        Verdict exists = gate.admit(notification("not-stored-yet", "anything", "any", "exists", "2"));

        assertThat(sync).isEqualTo(new Verdict.Ignored("unknown channel"));
        assertThat(exists).isEqualTo(new Verdict.Ignored("unknown channel"));
        assertThat(sync.accepted()).isTrue();
        assertThat(queued()).isEmpty();
        assertThat(lines(NotificationGate.SECURITY_LOG)).isEmpty();
        assertThat(lines(NotificationGate.class.getName())).anySatisfy(line ->
                assertThat(line).contains("ignored (unknown channel)", "channel=not-stored-yet").doesNotContain(TOKEN));
    }

    @Test
    void aStoppedOrReplacedChannelIsIgnoredAndEnqueuesNothing() {
        channel("channel-old");
        channel("channel-stopped");
        channel("channel-new");
        channels.markStopped("channel-old", "channel-new", clock.instant());
        channels.markStopped("channel-stopped", null, clock.instant());

        assertThat(gate.admit(valid("channel-old", "exists", 9)))
                .isEqualTo(new Verdict.Ignored("channel replaced by channel-new"));
        assertThat(gate.admit(valid("channel-stopped", "exists", 9))).isEqualTo(new Verdict.Ignored("channel stopped"));
        assertThat(queued()).isEmpty();
        assertThat(syncStates.find(CALENDAR).orElseThrow().lastNotificationAt()).isNull();
    }

    @Test
    void anExpiredChannelIsIgnoredAndEnqueuesNothing() {
        channel("channel-1", clock.instant().plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));

        Verdict verdict = gate.admit(valid("channel-1", "exists", 4));

        assertThat(verdict).isInstanceOf(Verdict.Ignored.class);
        assertThat(((Verdict.Ignored) verdict).reason()).startsWith("channel expired");
        assertThat(queued()).isEmpty();
    }

    // --- sync messages -----------------------------------------------------------------------

    @Test
    void theSyncMessageOfACalendarWithoutSyncTokenRequestsTheFirstSync() {
        channel("channel-1");

        Verdict verdict = gate.admit(valid("channel-1", "sync", 1));

        assertThat(verdict).isInstanceOf(Verdict.Acknowledged.class);
        List<Message> messages = queued();
        assertThat(messages).singleElement().satisfies(message -> {
            assertThat(body(message)).isEqualTo(new SyncRequest(CALENDAR, SyncRequest.Reason.FIRST_SYNC, "channel-1",
                    1L, clock.instant()));
            assertThat(message.attributesAsStrings()).containsEntry("MessageGroupId", CALENDAR)
                    .containsEntry("MessageDeduplicationId", "channel-1:1");
        });
        assertThat(((Verdict.Acknowledged) verdict).firstSync()).isEqualTo(body(messages.getFirst()));
    }

    @Test
    void theSyncMessageOfACalendarWithASyncTokenIsOnlyAcknowledged() {
        channel("channel-1");
        storeSyncToken("sync-token-1");

        assertThat(gate.admit(valid("channel-1", "sync", 1))).isEqualTo(new Verdict.Acknowledged(null));
        assertThat(queued()).isEmpty();
    }

    // --- change notifications ----------------------------------------------------------------

    @Test
    void anExistsNotificationEnqueuesOneSyncOfTheCalendarAndIsRecorded() {
        channel("channel-1");
        storeSyncToken("sync-token-1");

        Verdict verdict = gate.admit(valid("channel-1", "exists", 42));

        SyncRequest expected = SyncRequest.notification(CALENDAR, "channel-1", 42, clock.instant());
        assertThat(verdict).isEqualTo(new Verdict.Enqueued(expected));
        assertThat(queued()).singleElement().satisfies(message -> {
            assertThat(body(message)).isEqualTo(expected);
            assertThat(message.attributesAsStrings()).containsEntry("MessageGroupId", CALENDAR)
                    .containsEntry("MessageDeduplicationId", "channel-1:42");
        });
        assertThat(channels.find("channel-1").orElseThrow().lastMessageNumber()).isEqualTo(42);
        assertThat(syncStates.find(CALENDAR).orElseThrow().lastNotificationAt()).isEqualTo(clock.instant());
    }

    @Test
    void notExistsAndUnknownStatesAlsoRequestASync() {
        channel("channel-1");

        assertThat(gate.admit(valid("channel-1", "not_exists", 5))).isInstanceOf(Verdict.Enqueued.class);
        assertThat(gate.admit(valid("channel-1", "some_future_state", 6))).isInstanceOf(Verdict.Enqueued.class);
        assertThat(gate.admit(valid("channel-1", null, 7))).isInstanceOf(Verdict.Enqueued.class);

        assertThat(queued()).extracting(m -> m.attributesAsStrings().get("MessageDeduplicationId"))
                .containsExactly("channel-1:5", "channel-1:6", "channel-1:7");
    }

    @Test
    void theSameNotificationTwiceLeavesOneMessageInTheFifoQueue() {
        channel("channel-1");

        Verdict first = gate.admit(valid("channel-1", "exists", 3));
        clock.advance(Duration.ofSeconds(2));
        Verdict replay = gate.admit(valid("channel-1", "exists", 3));

        assertThat(first).isInstanceOf(Verdict.Enqueued.class);
        assertThat(replay).isInstanceOf(Verdict.Enqueued.class);
        assertThat(queued()).singleElement()
                .satisfies(message -> assertThat(body(message).requestedAt()).isEqualTo(clock.instant().minusSeconds(2)));
    }

    @Test
    void outOfOrderNotificationsKeepTheHighestMessageNumber() {
        channel("channel-1");

        gate.admit(valid("channel-1", "exists", 9));
        gate.admit(valid("channel-1", "exists", 4));

        assertThat(channels.find("channel-1").orElseThrow().lastMessageNumber()).isEqualTo(9);
        assertThat(queued()).hasSize(2);
    }

    // --- malformed notifications and failures ------------------------------------------------

    @Test
    void aMissingOrMalformedChannelIdOrMessageNumberIsMalformed() {
        channel("channel-1");

        assertThat(gate.admit(notification(null, TOKEN, RESOURCE, "exists", "1")))
                .isEqualTo(new Verdict.Malformed("channel id missing"));
        assertThat(gate.admit(notification("channel 1\n", TOKEN, RESOURCE, "exists", "1")))
                .isEqualTo(new Verdict.Malformed("channel id malformed"));
        assertThat(gate.admit(notification("c".repeat(65), TOKEN, RESOURCE, "exists", "1")))
                .isEqualTo(new Verdict.Malformed("channel id malformed"));
        assertThat(gate.admit(notification("channel-1", TOKEN, RESOURCE, "exists", null)))
                .isEqualTo(new Verdict.Malformed("message number missing"));
        for (String number : List.of("abc", "-3", "0", "1.5", "99999999999999999999", " 7")) {
            assertThat(gate.admit(notification("channel-1", TOKEN, RESOURCE, "exists", number))).as(number)
                    .isEqualTo(new Verdict.Malformed("message number malformed"));
        }
        assertThat(queued()).isEmpty();
        assertThat(logged()).noneMatch(r -> r.getMessage().contains(TOKEN));
    }

    @Test
    void whenTheQueueIsDownTheNotificationIsToBeRetriedAndNothingIsRecorded() {
        channel("channel-1");
        NotificationGate queueDown = new NotificationGate(channels, syncStates,
                queue("http://127.0.0.1:" + refusingPort.getLocalPort()), clock);

        Verdict verdict = queueDown.admit(valid("channel-1", "exists", 11));

        assertThat(verdict).isInstanceOf(Verdict.RetryLater.class);
        assertThat(verdict.accepted()).isFalse();
        assertThat(channels.find("channel-1").orElseThrow().lastMessageNumber()).isNull();
        assertThat(syncStates.find(CALENDAR).orElseThrow().lastNotificationAt()).isNull();
        assertThat(queueDown.admit(valid("channel-1", "sync", 1))).isInstanceOf(Verdict.RetryLater.class);

        assertThat(gate.admit(valid("channel-1", "exists", 11))).isInstanceOf(Verdict.Enqueued.class);
        assertThat(queued()).hasSize(1);
    }

    @Test
    void whenTheDatabaseIsDownTheNotificationIsToBeRetried() {
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setUrl("jdbc:postgresql://127.0.0.1:" + refusingPort.getLocalPort() + "/postgres");
        down.setConnectTimeout(2);
        NotificationGate databaseDown = new NotificationGate(new WatchChannelRepository(down),
                new SyncStateRepository(down), queue(sqs.endpoint().toString()), clock);

        assertThat(databaseDown.admit(valid("channel-1", "exists", 11))).isInstanceOf(Verdict.RetryLater.class);
        assertThat(queued()).isEmpty();
    }
}
