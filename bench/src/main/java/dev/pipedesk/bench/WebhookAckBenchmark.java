package dev.pipedesk.bench;

import dev.pipedesk.core.Hashes;
import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.sync.ChannelSecrets;
import dev.pipedesk.sync.NotificationGate;
import dev.pipedesk.sync.PushNotification;
import dev.pipedesk.sync.SqsSyncQueue;
import dev.pipedesk.sync.SyncQueue;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncRequest;
import dev.pipedesk.sync.SyncState;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.sync.WatchChannel;
import dev.pipedesk.sync.Verdict;
import dev.pipedesk.sync.WatchChannelRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.sql.DataSource;

/**
 * How fast the webhook answers Google, on the local stack ({@link BenchStack}): client-side latency
 * of {@code POST /webhooks/google-calendar} through the local API gateway, one notification after
 * the other on a keep-alive connection, as Google's push would arrive.
 *
 * <p>The channel's token is stored only hashed, so the benchmark opens no channel through Google:
 * it owns the stack's database and inserts a channel of its own ({@value #CALENDAR}, a calendar
 * Google does not have) with a known token and the token's SHA-256 in {@code token_sha256}, as
 * ChannelManager stores one. Every notification ({@code exists}, message numbers 2, 3, …) passes
 * verification and puts a sync request on the FIFO queue, so calendar-sync keeps syncing that
 * calendar in the background while the webhook is measured: the webhook's cost, what it shares the
 * machine with, is real. The first {@code warmup} requests are not counted (the instance's first
 * invocations include class loading and the JIT's warm-up; a cold start is not what is measured).
 *
 * <p>Then, to tell the handler's own work from the function host and the machine, the same number
 * of notifications go straight to a {@link NotificationGate} in the benchmark's JVM, on the stack's
 * database and FIFO queue (the webhook's service, as its application builds it).
 */
public record WebhookAckBenchmark(BenchStack stack, PrintStream out) {
    static final String CALENDAR = "bench-webhook@pipedesk.local";
    static final String RESOURCE_ID = "bench-webhook-resource";

    /**
     * @param warmup   notifications sent before measuring
     * @param client   the client's latency per notification (through the local gateway)
     * @param handler  the webhook handler's own REPORT durations of the measured notifications (empty when none were found)
     * @param results  the answers' {@code result} (or status) and how often each came
     * @param calendar the bench calendar's sync state at the end (what calendar-sync made of the requests)
     * @param syncs    calendar-sync invocations during the measured notifications (syncs of the bench calendar)
     * @param load     the machine's load averages around the measured notifications
     * @param gate     the webhook's service ({@link NotificationGate#admit}) in the benchmark's JVM, on the stack's
     *                 database and sync queue, after the HTTP notifications: what the handler's work costs without
     *                 the function host
     * @param gateSend the part of {@code gate} in {@code SendMessage} to the FIFO queue
     */
    public record Result(int warmup, Latencies client, Optional<Latencies> handler, Map<String, Integer> results,
                         String calendar, int syncs, Machine.Load load, Latencies gate, Latencies gateSend) {
        public int requests() {
            return client.count();
        }
    }

    public WebhookAckBenchmark {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(out, "out");
    }

    public Result run(int warmup, int requests) {
        DataSource database = stack.stack().dataSource();
        String channelId = "bench-webhook-" + System.currentTimeMillis();
        String token = ChannelSecrets.secure().newToken();
        insertChannel(database, channelId, token);
        out.printf("  channel %s on %s (inserted with a known token), %d warm-up and %d measured notifications%n",
                channelId, CALENDAR, warmup, requests);

        long[] client = new long[requests];
        Map<String, Integer> results = new TreeMap<>();
        long logStart = 0;
        long syncLogStart = 0;
        Machine.Load load = null;
        for (int i = 0; i < warmup + requests; i++) {
            if (i == warmup) {
                logStart = stack.logLines(LocalFunctions.WEBHOOK.name());
                syncLogStart = stack.logLines(LocalFunctions.CALENDAR_SYNC.name());
                load = Machine.Load.start();
            }
            HttpRequest request = HttpRequest.newBuilder(stack.stack().webhookUrl())
                    .timeout(Duration.ofSeconds(30))
                    .header(PushNotification.CHANNEL_ID_HEADER, channelId)
                    .header(PushNotification.TOKEN_HEADER, token)
                    .header(PushNotification.RESOURCE_ID_HEADER, RESOURCE_ID)
                    .header(PushNotification.RESOURCE_STATE_HEADER, "exists")
                    .header(PushNotification.MESSAGE_NUMBER_HEADER, Long.toString(i + 2L))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            long start = System.nanoTime();
            BenchStack.Answer answer = stack.send(request);
            long elapsed = System.nanoTime() - start;
            if (answer.status() != 200) {
                throw new IllegalStateException("The webhook answered " + answer.status() + " to notification " + (i + 2)
                        + ": " + answer.text());
            }
            if (i >= warmup) {
                client[i - warmup] = elapsed;
                results.merge(answer.json().path("result").asString("(none)"), 1, Integer::sum);
            }
        }
        load = Objects.requireNonNull(load, "load").end();
        long[][] inProcess = inProcess(database, channelId, token, warmup + requests + 2L, warmup, requests);
        List<Long> handler = FunctionReports.durationsNanos(stack.logFile(LocalFunctions.WEBHOOK.name()), logStart);
        int syncs = FunctionReports.durationsNanos(stack.logFile(LocalFunctions.CALENDAR_SYNC.name()), syncLogStart).size();
        String calendar = new SyncStateRepository(database).find(CALENDAR).map(WebhookAckBenchmark::describe)
                .orElse("no sync state");
        Result result = new Result(warmup, Latencies.of(client),
                handler.isEmpty() ? Optional.empty() : Optional.of(Latencies.of(handler.stream().mapToLong(Long::longValue).toArray())),
                results, calendar, syncs, load, Latencies.of(inProcess[0]), Latencies.of(inProcess[1]));
        out.printf("  client p50 %.2f ms, p95 %.2f ms, p99 %.2f ms; answers %s; in-process gate p50 %.2f ms, p95 %.2f ms%n",
                result.client().p50(), result.client().p95(), result.client().p99(), results, result.gate().p50(),
                result.gate().p95());
        return result;
    }

    /**
     * The same notifications (numbers from {@code firstNumber} on) straight to a {@link NotificationGate} in this JVM,
     * with the stack's database and FIFO sync queue, as the webhook builds it: {@code admit} and, within it, the
     * {@code SendMessage}, per notification (ns), after {@code warmup} uncounted ones.
     */
    private long[][] inProcess(DataSource database, String channelId, String token, long firstNumber, int warmup,
                               int requests) {
        LocalSqs sqs = stack.stack().sqs();
        TimedQueue queue = new TimedQueue(SqsSyncQueue.create(new SyncQueueSettings(sqs.syncQueueUrl(), LocalSqs.REGION,
                sqs.endpoint(), LocalSqs.ACCESS_KEY_ID, LocalSqs.SECRET_ACCESS_KEY, null)));
        NotificationGate gate = new NotificationGate(new WatchChannelRepository(database), new SyncStateRepository(database),
                queue, Clock.systemUTC());
        long[] admit = new long[requests];
        long[] send = new long[requests];
        try (GateLog ignored = GateLog.toFile(stack.logFile(LocalFunctions.WEBHOOK.name()).resolveSibling("bench-gate.log"))) {
            admit(gate, queue, channelId, token, firstNumber, warmup, admit, send);
        }
        return new long[][]{admit, send};
    }

    private static void admit(NotificationGate gate, TimedQueue queue, String channelId, String token, long firstNumber,
                              int warmup, long[] admit, long[] send) {
        int requests = admit.length;
        for (int i = 0; i < warmup + requests; i++) {
            PushNotification notification = new PushNotification(channelId, token, RESOURCE_ID, "exists",
                    Long.toString(firstNumber + i), "127.0.0.1");
            long start = System.nanoTime();
            Verdict verdict = gate.admit(notification);
            long elapsed = System.nanoTime() - start;
            if (!(verdict instanceof Verdict.Enqueued)) {
                throw new IllegalStateException("The gate answered " + verdict + " to notification " + (firstNumber + i));
            }
            if (i >= warmup) {
                admit[i - warmup] = elapsed;
                send[i - warmup] = queue.last;
            }
        }
    }

    /**
     * The gate's log lines (one per notification, as the webhook writes them to its log) go to a file while
     * the gate runs in this JVM, not to the benchmark's console.
     */
    private static final class GateLog implements AutoCloseable {
        private final Logger logger = Logger.getLogger(NotificationGate.class.getPackageName());
        private final Handler handler;
        private final boolean parentHandlers;

        private GateLog(Handler handler) {
            this.handler = handler;
            this.parentHandlers = logger.getUseParentHandlers();
            logger.addHandler(handler);
            logger.setUseParentHandlers(false);
        }

        static GateLog toFile(Path file) {
            try {
                FileHandler handler = new FileHandler(file.toString(), true);
                handler.setFormatter(new SimpleFormatter());
                return new GateLog(handler);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parentHandlers);
            handler.close();
        }
    }

    /** The real queue, with the last request's time kept. */
    private static final class TimedQueue implements SyncQueue {
        private final SyncQueue delegate;
        long last;

        TimedQueue(SyncQueue delegate) {
            this.delegate = delegate;
        }

        @Override
        public void request(SyncRequest request) {
            long start = System.nanoTime();
            try {
                delegate.request(request);
            } finally {
                last = System.nanoTime() - start;
            }
        }
    }

    /** The bench calendar's sync state and an active channel with a known token, as ChannelManager stores them. */
    private static void insertChannel(DataSource database, String channelId, String token) {
        new SyncStateRepository(database).ensure(CALENDAR);
        Instant now = Instant.now();
        WatchChannel channel = new WatchChannel(channelId, CALENDAR, RESOURCE_ID, Hashes.sha256Hex(token),
                "bench", now.plus(1, ChronoUnit.DAYS), false, null, null, now, null);
        Transactions.inTransaction(database, connection -> {
            new WatchChannelRepository(database).insert(connection, channel);
            return null;
        });
    }

    private static String describe(SyncState state) {
        return state.status().wire() + (state.failureReason() == null ? "" : " (" + state.failureReason() + ")")
                + (state.lastSyncAt() == null ? ", never synced" : ", last synced " + state.lastSyncAt());
    }
}
