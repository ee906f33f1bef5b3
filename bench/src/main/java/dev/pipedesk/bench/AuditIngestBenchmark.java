package dev.pipedesk.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.auditwriter.AuditLogWriter;
import dev.pipedesk.auditwriter.ContractFastPath;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.pipedesk.lambda.SqsBatchShell;
import dev.pipedesk.postgres.NewAuditLogEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.FunctionSpec;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.local.sqs.SqsEventSourceMapping;
import dev.pipedesk.local.sqs.SqsEvents;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.localaws.SqsOptions;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.Databases;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Audit ingest.
 * <ul>
 *   <li>The target (issue 10): the audit-writer in this JVM through its real handler path
 *       ({@link #writer}: the SQS event read as the function reads it, every body validated
 *       against the contract, one multi-row {@code INSERT … ON CONFLICT (event_id) DO NOTHING})
 *       against raw JDBC ({@link #raw}: the same statement with the same rows pre-serialised, no
 *       validation) at the same batch size, with {@link #breakdown} of where the writer's own time
 *       goes;</li>
 *   <li>{@link #pipeline}, as information: the real path as the local stack runs it. The events go
 *       to the SQS audit queue (ElasticMQ, {@code SendMessageBatch} of 10), the local event source
 *       mapping polls it (a batch size and batching window of its own) and invokes the audit-writer
 *       function, a child JVM behind its real Lambda handler, connected as the INSERT-only role;
 *       timed from the first message sent to the last row visible (and, separately, on a
 *       pre-loaded queue).</li>
 * </ul>
 * Every run gets a fresh embedded database, a warm-up of its own (same number of rows for
 * both, so the table and its indexes are the same size), and events with fresh ids.
 */
public final class AuditIngestBenchmark {
    /** SendMessageBatch takes at most 10 entries. */
    private static final int SEND_BATCH = 10;
    private static final long POLL_MILLIS = 10;
    /** A run fails when no new row appears for this long (e.g. every message dead-lettered). */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REPORT_GRACE = Duration.ofMillis(300);

    /**
     * One timed run of the raw baseline or of the writer.
     *
     * @param nanos   all batches, one after the other
     * @param batches the time of each batch
     * @param cpu     CPU time spent during the run, by part
     */
    public record Run(int events, int batchSize, long nanos, Latencies batches, CpuAccounting.Snapshot cpu) {
        public double eventsPerSecond() {
            return events / (nanos / 1e9);
        }
    }

    /**
     * Where the writer's time goes besides the database, per event, measured on the run's bodies
     * alone (CPU time of the median of {@value #BREAKDOWN_PASSES} passes).
     *
     * @param envelopeMicros   reading the SQS event into messages ({@code SqsEventReader}, as {@code SqsBatchShell} does)
     * @param fastPathMicros   {@code ContractFastPath.read}: the streaming contract check and the row, what the
     *                         writer does for every event it accepts (all of the generated ones)
     * @param bindMicros       building the statement and its parameter list ({@code insertSql}, {@code addValuesTo})
     * @param schemaPathMicros for comparison, the path every event took before and anything the fast path does not
     *                         accept still takes: parse to a tree, JSON Schema validation, {@code NewAuditLogEntry.fromEvent}
     */
    public record Breakdown(double envelopeMicros, double fastPathMicros, double bindMicros, double schemaPathMicros) {
        /** The writer's own work per event, besides the database. */
        public double totalMicros() {
            return envelopeMicros + fastPathMicros + bindMicros;
        }
    }

    /**
     * The restated target at one batch size: interleaved runs of raw JDBC and the writer, each on a fresh
     * database, and the writer's breakdown.
     */
    public record SameBatch(int batchSize, List<Run> raw, List<Run> writer, Breakdown breakdown) {
        public SameBatch {
            raw = List.copyOf(raw);
            writer = List.copyOf(writer);
        }

        public Run medianRaw() {
            return median(raw);
        }

        public Run medianWriter() {
            return median(writer);
        }

        /** Writer events/s over raw events/s, medians of each. */
        public double ratio() {
            return medianWriter().eventsPerSecond() / medianRaw().eventsPerSecond();
        }

        /**
         * The same ratio in CPU: raw JDBC's CPU time per event (PostgreSQL, the client thread, the rest of this JVM) over
         * the writer's, medians of each. Waiting for a CPU does not count here, so on a machine shared with other work
         * it moves much less than the events/s ratio.
         */
        public double cpuRatio() {
            return medianCpuPerEvent(raw) / medianCpuPerEvent(writer);
        }

        private static double medianCpuPerEvent(List<Run> runs) {
            double[] perEvent = runs.stream().mapToDouble(run -> run.cpu().total() / (double) run.events()).sorted().toArray();
            return perEvent[perEvent.length / 2];
        }

        /** The ratio of each round (writer and raw of the same round), lowest and highest. */
        public double[] roundRatioRange() {
            double low = Double.MAX_VALUE;
            double high = 0;
            for (int i = 0; i < Math.min(raw.size(), writer.size()); i++) {
                double r = writer.get(i).eventsPerSecond() / raw.get(i).eventsPerSecond();
                low = Math.min(low, r);
                high = Math.max(high, r);
            }
            return new double[]{low, high};
        }

        private static Run median(List<Run> runs) {
            List<Run> sorted = new ArrayList<>(runs);
            sorted.sort(java.util.Comparator.comparingDouble(Run::eventsPerSecond));
            return sorted.get(sorted.size() / 2);
        }
    }

    /**
     * One measured phase of a pipeline run.
     *
     * @param nanos       the phase's clock (see {@link PipelineResult})
     * @param batches     function invocations in the phase
     * @param invocations how long each invocation took, as the poller saw it (HTTP to the instance and back)
     * @param handler     how long the handler ran inside the instance (the {@code Duration} of its {@code REPORT} lines)
     * @param cpu         CPU time spent during the phase, by part
     */
    public record Phase(long nanos, long batches, Latencies invocations, Latencies handler, CpuAccounting.Snapshot cpu) {
        public double eventsPerSecond(int events) {
            return events / (nanos / 1e9);
        }

        public double meanBatchSize(int events) {
            return (double) events / batches;
        }

        /** Mean time one poller spends per batch (receive, invoke, delete), with {@code concurrency} pollers. */
        public double meanCycleMillis(int concurrency) {
            return nanos / 1e6 * concurrency / batches;
        }
    }

    /**
     * A pipeline run's outcome: two phases of {@code events} each, on warm instances.
     *
     * @param concurrency  pollers, each feeding its own audit-writer instance (child JVM)
     * @param endToEnd     the target's measure: first message sent → last row visible, the pollers running
     *                     while the events are sent
     * @param sendNanos    end to end: first message sent → last SendMessageBatch answered
     * @param drain        the consumers alone: the queue pre-loaded, pollers started → last row visible
     * @param preloadNanos sending the pre-loaded events with nothing consuming
     * @param deadLettered messages in the dead-letter queue at the end (0 expected)
     */
    public record PipelineResult(int concurrency, int batchSize, Duration batchingWindow, int events, Phase endToEnd,
                                 long sendNanos, Phase drain, long preloadNanos, long deadLettered) {
        public double eventsPerSecond() {
            return endToEnd.eventsPerSecond(events);
        }

        public double drainEventsPerSecond() {
            return drain.eventsPerSecond(events);
        }

        public double sendEventsPerSecond() {
            return events / (sendNanos / 1e9);
        }

        public double preloadEventsPerSecond() {
            return events / (preloadNanos / 1e9);
        }
    }

    private final BenchPostgres postgres;
    private final Path repoRoot;
    private final Path logDir;
    private final PrintStream out;

    /**
     * @param postgres the server each run gets a fresh database on
     * @param repoRoot the checkout (audit-writer's Lambda layout is read from
     *                 {@code functions/audit-writer/target/lambda/lib})
     * @param logDir   where the audit-writer instances and pollers log
     * @param out      progress lines
     */
    public AuditIngestBenchmark(BenchPostgres postgres, Path repoRoot, Path logDir, PrintStream out) {
        this.postgres = Objects.requireNonNull(postgres, "postgres");
        this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
        this.logDir = Objects.requireNonNull(logDir, "logDir");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Whether the audit-writer function is built (its Lambda layout holds its application class). */
    public boolean auditWriterBuilt() {
        return LocalFunctions.AUDIT_WRITER.isBuilt(repoRoot);
    }

    // --- raw JDBC and the writer, at the same batch size ------------------------------------------

    /**
     * Raw JDBC: {@link RawAuditInsert} of the events' pre-serialised rows in batches of {@code batchSize}, as
     * {@code pipedesk_audit_writer} through a pool of 2 ({@code Databases.create}, as the function connects).
     */
    public Run raw(List<AuditEvent> warmup, List<AuditEvent> events, int batchSize) throws SQLException {
        List<NewAuditLogEntry> warmupRows = RawAuditInsert.rows(AuditEventGenerator.bodies(warmup));
        List<NewAuditLogEntry> rows = RawAuditInsert.rows(AuditEventGenerator.bodies(events));
        try (BenchDatabase database = postgres.freshDatabase();
             HikariDataSource pool = Databases.create(database.enableAuditWriterLogin())) {
            RawAuditInsert.insert(pool, warmupRows, batchSize);
            long[] perBatch = new long[(rows.size() + batchSize - 1) / batchSize];
            CpuAccounting.Snapshot cpuBefore = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port());
            long start = System.nanoTime();
            long written = 0;
            for (int from = 0, i = 0; from < rows.size(); from += batchSize, i++) {
                long batchStart = System.nanoTime();
                written += RawAuditInsert.insert(pool, rows.subList(from, Math.min(from + batchSize, rows.size())), batchSize);
                perBatch[i] = System.nanoTime() - batchStart;
            }
            long nanos = System.nanoTime() - start;
            CpuAccounting.Snapshot cpu = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port()).since(cpuBefore);
            requireStored(database, "raw JDBC", written, warmup.size() + events.size(), events.size());
            return new Run(events.size(), batchSize, nanos, Latencies.of(perBatch), cpu);
        }
    }

    /**
     * The audit-writer in this JVM through its real handler path: {@code SqsBatchShell} (as the function's
     * {@code writeAuditEvents} bean builds it) reads each batch's SQS event JSON — built beforehand, as Lambda
     * would send it — validates every body and appends the rows; same connection and pool as {@link #raw}.
     * Its log level is left as it ships: an all-written batch logs its line at FINE, which is off.
     */
    public Run writer(List<AuditEvent> warmup, List<AuditEvent> events, int batchSize) {
        List<byte[]> warmupEvents = sqsEvents(AuditEventGenerator.bodies(warmup), batchSize);
        List<byte[]> measured = sqsEvents(AuditEventGenerator.bodies(events), batchSize);
        try (BenchDatabase database = postgres.freshDatabase();
             HikariDataSource pool = Databases.create(database.enableAuditWriterLogin())) {
            SqsBatchShell function = new SqsBatchShell("audit-writer",
                    new AuditLogWriter(new AuditLogRepository(pool), AuditEventValidator.load()));
            for (byte[] event : warmupEvents) {
                requireNoFailure(function.apply(new ByteArrayInputStream(event)));
            }
            long[] perBatch = new long[measured.size()];
            CpuAccounting.Snapshot cpuBefore = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port());
            long start = System.nanoTime();
            for (int i = 0; i < measured.size(); i++) {
                long batchStart = System.nanoTime();
                requireNoFailure(function.apply(new ByteArrayInputStream(measured.get(i))));
                perBatch[i] = System.nanoTime() - batchStart;
            }
            long nanos = System.nanoTime() - start;
            CpuAccounting.Snapshot cpu = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port()).since(cpuBefore);
            requireStored(database, "the audit-writer", events.size(), warmup.size() + events.size(), events.size());
            return new Run(events.size(), batchSize, nanos, Latencies.of(perBatch), cpu);
        }
    }

    /** The writer's steps besides the database, each timed alone over the bodies in batches of {@code batchSize}. */
    public Breakdown breakdown(List<AuditEvent> events, int batchSize) {
        List<String> bodies = AuditEventGenerator.bodies(events);
        List<byte[]> sqsEvents = sqsEvents(bodies, batchSize);
        AuditEventValidator validator = AuditEventValidator.load();
        var reader = new dev.pipedesk.lambda.SqsEventReader(
                java.util.logging.Logger.getLogger(AuditIngestBenchmark.class.getName()), java.util.logging.Level.SEVERE, "unreadable");
        List<NewAuditLogEntry> rows = bodies.stream().map(body -> ContractFastPath.read(body).orElseThrow(
                () -> new IllegalStateException("the writer's fast path leaves a generated event to the schema"))).toList();
        double perEvent = 1e3 * bodies.size();
        double envelope = medianOf(() -> sqsEvents.forEach(event -> reader.read(new ByteArrayInputStream(event)).orElseThrow())) / perEvent;
        double fastPath = medianOf(() -> bodies.forEach(body -> ContractFastPath.read(body).orElseThrow())) / perEvent;
        double schemaPath = medianOf(() -> bodies.forEach(body -> {
            if (!(validator.check(body) instanceof AuditEventValidator.Checked.Valid valid)) {
                throw new IllegalStateException("a generated event breaks the contract");
            }
            NewAuditLogEntry.fromEvent(valid.event());
        })) / perEvent;
        double bind = medianOf(() -> {
            for (int from = 0; from < rows.size(); from += batchSize) {
                List<NewAuditLogEntry> batch = rows.subList(from, Math.min(from + batchSize, rows.size()));
                List<Object> values = new ArrayList<>(batch.size() * NewAuditLogEntry.COLUMN_COUNT);
                batch.forEach(entry -> entry.addValuesTo(values));
                if (NewAuditLogEntry.insertSql(batch.size()).isEmpty() || values.isEmpty()) {
                    throw new IllegalStateException();
                }
            }
        }) / perEvent;
        return new Breakdown(envelope, fastPath, bind, schemaPath);
    }

    private static final int BREAKDOWN_PASSES = 5;

    /**
     * CPU nanoseconds of this thread for the median of {@value #BREAKDOWN_PASSES} passes (after one untimed pass):
     * CPU time, not wall time, so time spent waiting for a CPU on a shared machine does not count.
     */
    private static double medianOf(Runnable pass) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        pass.run();
        long[] nanos = new long[BREAKDOWN_PASSES];
        for (int i = 0; i < nanos.length; i++) {
            long start = threads.getCurrentThreadCpuTime();
            pass.run();
            nanos[i] = threads.getCurrentThreadCpuTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }

    /** The SQS events (JSON bytes) Lambda would invoke the writer with, one per batch of {@code size} bodies. */
    static List<byte[]> sqsEvents(List<String> bodies, int size) {
        String queueArn = LocalSqs.queueArn(LocalSqs.AUDIT_QUEUE);
        List<byte[]> events = new ArrayList<>();
        long sent = 1_764_000_000_000L;
        for (int from = 0; from < bodies.size(); from += size) {
            List<Message> messages = new ArrayList<>();
            for (String body : bodies.subList(from, Math.min(from + size, bodies.size()))) {
                String id = UUID.randomUUID().toString();
                messages.add(Message.builder().messageId(id).receiptHandle(id + "#" + UUID.randomUUID()).body(body)
                        .md5OfBody(md5Hex(body))
                        .attributesWithStrings(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", Long.toString(sent),
                                "SenderId", "127.0.0.1", "ApproximateFirstReceiveTimestamp", Long.toString(sent + 3)))
                        .build());
            }
            events.add(SqsEvents.event(messages, queueArn, LocalSqs.REGION).getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    private static String md5Hex(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireNoFailure(SQSBatchResponse response) {
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the audit-writer failed " + response.getBatchItemFailures().size()
                    + " message(s) of a batch");
        }
    }

    private static void requireStored(BenchDatabase database, String who, long written, long expectedRows, long expectedWritten) {
        long stored = database.queryLong("select count(*) from audit_logs");
        if (written != expectedWritten || stored != expectedRows) {
            throw new IllegalStateException(who + ": wrote " + written + " of " + expectedWritten + ", audit_logs holds "
                    + stored + " rows, expected " + expectedRows);
        }
    }

    // --- SQS → event source mapping → audit-writer ---------------------------------------------

    /**
     * Starts a fresh database, ElasticMQ and {@code concurrency} audit-writer instances, then:
     * <ol>
     *   <li>warm-up: the warm-up events go through the queue and the instances (received and
     *       deleted by this harness as the poller does, the instances invoked in turn), so the
     *       pollers can then start on a queue that holds exactly the measured events;</li>
     *   <li>drain: {@code events} sent with nothing consuming, then the pollers start; timed from
     *       their start to the last row;</li>
     *   <li>end to end: another {@code events} (fresh ids) sent while the pollers run; timed from
     *       the first message sent to the last row.</li>
     * </ol>
     */
    public PipelineResult pipeline(List<AuditEvent> warmup, List<AuditEvent> events, List<AuditEvent> moreEvents,
                                   int concurrency, int batchSize, Duration batchingWindow)
            throws FunctionInvocationException, SQLException, InterruptedException, IOException {
        if (!auditWriterBuilt()) {
            throw new IllegalStateException("The audit-writer function is not built ("
                    + repoRoot.relativize(LocalFunctions.AUDIT_WRITER.lambdaLib(repoRoot)) + "); run ./pipedesk build");
        }
        if (moreEvents.size() != events.size()) {
            throw new IllegalArgumentException("both phases need the same number of events");
        }
        List<TimedFunction> writers = new ArrayList<>();
        List<Path> writerLogs = new ArrayList<>();
        Set<Long> writerPids = new java.util.HashSet<>();
        List<SqsEventSourceMapping> pollers = new ArrayList<>();
        BenchDatabase database = postgres.freshDatabase();
        LocalSqs sqs = null;
        try {
            sqs = LocalSqs.startOnFreePort();
            FunctionSpec spec = FunctionSpec.springFunction(LocalFunctions.AUDIT_WRITER.name(),
                    LocalFunctions.AUDIT_WRITER.lambdaLib(repoRoot), LocalFunctions.AUDIT_WRITER.mainClass(),
                    database.enableAuditWriterLogin().toEnvironment());
            for (int i = 1; i <= concurrency; i++) {
                String name = "audit-writer-c" + concurrency + "-" + i;
                out.println("  starting " + name + " (child JVM, cold start)");
                writerLogs.add(freshLog(name));
                FunctionProcess instance = FunctionProcess.start(spec, LogSink.file(name, logDir));
                writerPids.add(instance.pid());
                writers.add(new TimedFunction(instance));
            }
            try (Connection watcher = database.unpooled().getConnection()) {
                out.println("  warm-up: " + warmup.size() + " events");
                send(sqs.client(), sqs.auditQueueUrl(), AuditEventGenerator.bodies(warmup));
                consumeDirectly(sqs, writers, warmup.size());
                awaitRows(watcher, warmup.size());
                writers.forEach(TimedFunction::drain);

                out.println("  drain: " + events.size() + " events pre-loaded, then " + concurrency + " poller(s) start");
                long preloadStart = System.nanoTime();
                send(sqs.client(), sqs.auditQueueUrl(), AuditEventGenerator.bodies(events));
                long preloadNanos = System.nanoTime() - preloadStart;
                SqsEventSourceMapping.Settings settings = SqsEventSourceMapping.Settings.of(sqs.auditQueueUrl(),
                        LocalSqs.queueArn(LocalSqs.AUDIT_QUEUE), LocalSqs.REGION).withBatching(batchSize, batchingWindow);
                Thread me = Thread.currentThread();
                CpuAccounting.Snapshot drainCpu = CpuAccounting.take(writerPids, me, database.port());
                long drainStart = System.nanoTime();
                for (int i = 0; i < concurrency; i++) {
                    String name = "sqs-poller-c" + concurrency + "-" + (i + 1);
                    freshLog(name);
                    pollers.add(SqsEventSourceMapping.start(sqs.client(), settings, writers.get(i), LogSink.file(name, logDir)));
                }
                long drainDone = awaitRows(watcher, warmup.size() + events.size());
                drainCpu = CpuAccounting.take(writerPids, me, database.port()).since(drainCpu);
                Phase drain = phase(drainDone - drainStart, drainCpu, pollers, new long[concurrency], writers, writerLogs);

                out.println("  end to end: " + moreEvents.size() + " events sent while the pollers run");
                long[] batchesBefore = pollers.stream().mapToLong(p -> p.stats().batches()).toArray();
                List<String> bodies = AuditEventGenerator.bodies(moreEvents);
                CpuAccounting.Snapshot cpu = CpuAccounting.take(writerPids, me, database.port());
                long start = System.nanoTime();
                send(sqs.client(), sqs.auditQueueUrl(), bodies);
                long sent = System.nanoTime();
                long done = awaitRows(watcher, warmup.size() + events.size() + moreEvents.size());
                cpu = CpuAccounting.take(writerPids, me, database.port()).since(cpu);
                Phase endToEnd = phase(done - start, cpu, pollers, batchesBefore, writers, writerLogs);
                return new PipelineResult(concurrency, batchSize, batchingWindow, events.size(), endToEnd, sent - start, drain, preloadNanos,
                        sqs.deadLetterQueueDepth().total());
            }
        } finally {
            pollers.forEach(SqsEventSourceMapping::requestStop);
            if (sqs != null) {
                sqs.close(); // cuts the pollers' long polls
            }
            pollers.forEach(SqsEventSourceMapping::close);
            writers.forEach(TimedFunction::close);
            database.close();
        }
    }

    /** The counters of a phase that just ended: invocations since {@code batchesBefore}, their times. */
    private static Phase phase(long nanos, CpuAccounting.Snapshot cpu, List<SqsEventSourceMapping> pollers,
                               long[] batchesBefore, List<TimedFunction> writers, List<Path> writerLogs)
            throws IOException, InterruptedException {
        Thread.sleep(REPORT_GRACE); // the instances' last REPORT lines reach their logs
        long batches = 0;
        List<Long> handler = new ArrayList<>();
        for (int i = 0; i < pollers.size(); i++) {
            long measured = pollers.get(i).stats().batches() - batchesBefore[i];
            batches += measured;
            handler.addAll(lastReportDurations(writerLogs.get(i), measured));
        }
        long[] invocations = writers.stream().map(TimedFunction::drain).flatMapToLong(Arrays::stream).toArray();
        return new Phase(nanos, batches, Latencies.of(invocations),
                Latencies.of(handler.stream().mapToLong(Long::longValue).toArray()), cpu);
    }

    /**
     * Does what the event source mapping does, without it: receive up to 10 messages, invoke the
     * instances in turn with them, delete what they stored; until {@code count} messages are handled.
     */
    private static void consumeDirectly(LocalSqs sqs, List<TimedFunction> writers, int count)
            throws FunctionInvocationException {
        String queueArn = LocalSqs.queueArn(LocalSqs.AUDIT_QUEUE);
        int handled = 0;
        for (int turn = 0; handled < count; turn++) {
            List<Message> messages = sqs.client().receiveMessage(r -> r.queueUrl(sqs.auditQueueUrl())
                    .maxNumberOfMessages(SEND_BATCH).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
            if (messages.isEmpty()) {
                throw new IllegalStateException("warm-up: the queue is empty after " + handled + " of " + count + " messages");
            }
            Set<String> ids = messages.stream().map(Message::messageId).collect(Collectors.toSet());
            String output = writers.get(turn % writers.size()).invoke(SqsEvents.event(messages, queueArn, LocalSqs.REGION));
            Set<String> failed = SqsEvents.failedMessageIds(output, ids).orElse(ids);
            if (!failed.isEmpty()) {
                throw new IllegalStateException("warm-up: the audit-writer failed " + failed.size() + " message(s); see its log");
            }
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(messages.get(i).receiptHandle()).build());
            }
            sqs.client().deleteMessageBatch(r -> r.queueUrl(sqs.auditQueueUrl()).entries(entries));
            handled += messages.size();
        }
    }

    /** The log file of {@code name}, emptied (LogSink appends; a run reads only its own lines). */
    private Path freshLog(String name) throws IOException {
        Path log = logDir.resolve(name + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    /** The Duration of the last {@code count} {@code REPORT} lines of a function log, in nanoseconds. */
    private static List<Long> lastReportDurations(Path log, long count) throws IOException {
        List<Long> durations = FunctionReports.durationsNanos(Files.readAllLines(log));
        return durations.subList((int) Math.max(0, durations.size() - count), durations.size());
    }

    /** Sends the bodies in SendMessageBatch requests of 10, failing on any refused entry. */
    static void send(SqsClient sqs, String queueUrl, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += SEND_BATCH) {
            List<String> batch = bodies.subList(from, Math.min(from + SEND_BATCH, bodies.size()));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(batch.get(i)).build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("The audit queue refused " + response.failed().size() + " message(s): "
                        + response.failed().getFirst());
            }
        }
    }

    /**
     * Waits until audit_logs holds {@code expected} committed rows; returns the
     * {@link System#nanoTime()} at which they were seen. Polls the table's id sequence (which
     * every insert advances, nearly free to read) every {@value #POLL_MILLIS} ms, then
     * {@code count(*)} once the inserts are all issued, so watching costs the database next to
     * nothing while the run goes on.
     */
    static long awaitRows(Connection connection, long expected) throws SQLException, InterruptedException {
        long lastIssued = -1;
        long lastProgress = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            while (true) {
                long issued = queryLong(statement, "select case when is_called then last_value else 0 end from audit_logs_id_seq");
                long now = System.nanoTime();
                if (issued >= expected) {
                    long count = queryLong(statement, "select count(*) from audit_logs");
                    if (count == expected) {
                        return System.nanoTime();
                    }
                    if (count > expected) {
                        throw new IllegalStateException("audit_logs holds " + count + " rows, expected " + expected);
                    }
                }
                if (issued != lastIssued) {
                    lastIssued = issued;
                    lastProgress = now;
                } else if (now - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("audit_logs stalled at " + queryLong(statement, "select count(*) from audit_logs")
                            + " of " + expected + " rows for " + STALL_TIMEOUT.toSeconds() + " s; see the audit-writer and poller logs");
                }
                Thread.sleep(issued >= expected ? 1 : POLL_MILLIS);
            }
        }
    }

    private static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
