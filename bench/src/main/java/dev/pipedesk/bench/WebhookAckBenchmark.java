package dev.pipedesk.bench;

import dev.pipedesk.core.Hashes;
import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.sync.ChannelSecrets;
import dev.pipedesk.sync.PushNotification;
import dev.pipedesk.sync.SyncState;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.sync.WatchChannel;
import dev.pipedesk.sync.WatchChannelRepository;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
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
     */
    public record Result(int warmup, Latencies client, Optional<Latencies> handler, Map<String, Integer> results,
                         String calendar, int syncs, Machine.Load load) {
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
        List<Long> handler = FunctionReports.durationsNanos(stack.logFile(LocalFunctions.WEBHOOK.name()), logStart);
        int syncs = FunctionReports.durationsNanos(stack.logFile(LocalFunctions.CALENDAR_SYNC.name()), syncLogStart).size();
        String calendar = new SyncStateRepository(database).find(CALENDAR).map(WebhookAckBenchmark::describe)
                .orElse("no sync state");
        Result result = new Result(warmup, Latencies.of(client),
                handler.isEmpty() ? Optional.empty() : Optional.of(Latencies.of(handler.stream().mapToLong(Long::longValue).toArray())),
                results, calendar, syncs, load);
        out.printf("  client p50 %.2f ms, p95 %.2f ms, p99 %.2f ms; answers %s%n", result.client().p50(),
                result.client().p95(), result.client().p99(), results);
        return result;
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
