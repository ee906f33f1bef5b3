package dev.pipedesk.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.auditwriter.AuditLogWriter;
import dev.pipedesk.auditwriter.WriteReport;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.lambda.QueuedMessage;
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
 * Audit ingest: how many events per second reach audit_logs.
 * <ul>
 *   <li>{@link #rawJdbc}: the baseline, a plain JDBC batch insert of the same rows on one
 *       connection;</li>
 *   <li>{@link #writerInProcess}: the audit-writer's {@code AuditLogWriter} alone, in this JVM,
 *       on batches of 10 — the writer's cost without queue or function host;</li>
 *   <li>{@link #pipeline}: the real path, as the local stack runs it: the events go to the SQS
 *       audit queue (ElasticMQ, {@code SendMessageBatch} of 10), the local event source mapping
 *       polls it (batch size 10) and invokes the audit-writer function, a child JVM behind its
 *       real Lambda handler, connected as the INSERT-only role; timed from the first message
 *       sent to the last row visible (and, separately, on a pre-loaded queue).</li>
 * </ul>
 * Every run gets a fresh embedded database, a warm-up of its own (same number of rows for
 * both, so the table and its indexes are the same size), and events with fresh ids.
 */
public final class AuditIngestBenchmark {
    /** SendMessageBatch takes at most 10 entries. */
    private static final int SEND_BATCH = 10;
    private static final long POLL_MILLIS = 10;
    /** Contract validation alone is timed over the measured bodies this many times; the median pass counts. */
    private static final int VALIDATION_PASSES = 3;
    /** A run fails when no new row appears for this long (e.g. every message dead-lettered). */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REPORT_GRACE = Duration.ofMillis(300);

    /** The raw JDBC baseline's outcome. */
    public record RawResult(int events, int batchSize, long nanos, CpuAccounting.Snapshot cpu) {
        public double eventsPerSecond() {
            return events / (nanos / 1e9);
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
    public record PipelineResult(int concurrency, int events, Phase endToEnd, long sendNanos, Phase drain,
                                 long preloadNanos, long deadLettered) {
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

    /**
     * The audit-writer's service measured in this JVM, without queue or function host.
     *
     * @param nanos                 all batches, one after the other
     * @param batches               the time of each {@code AuditLogWriter.write} of 10 messages
     * @param validateMicrosPerEvent contract validation alone (parse + JSON Schema), per event (median of 3 passes)
     */
    public record WriterResult(int events, int batchSize, long nanos, Latencies batches, double validateMicrosPerEvent,
                               CpuAccounting.Snapshot cpu) {
        public double eventsPerSecond() {
            return events / (nanos / 1e9);
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

    // --- raw JDBC ------------------------------------------------------------------------------

    public RawResult rawJdbc(List<AuditEvent> warmup, List<AuditEvent> events, int batchSize) throws SQLException {
        List<RawAuditInsert.Row> warmupRows = RawAuditInsert.rows(warmup);
        List<RawAuditInsert.Row> rows = RawAuditInsert.rows(events);
        try (BenchDatabase database = postgres.freshDatabase();
             Connection connection = database.unpooled().getConnection()) {
            RawAuditInsert.insert(connection, warmupRows, batchSize);
            CpuAccounting.Snapshot cpuBefore = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port());
            long start = System.nanoTime();
            RawAuditInsert.insert(connection, rows, batchSize);
            long nanos = System.nanoTime() - start;
            CpuAccounting.Snapshot cpu = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port()).since(cpuBefore);
            long stored = database.queryLong("select count(*) from audit_logs");
            if (stored != warmup.size() + events.size()) {
                throw new IllegalStateException("raw JDBC: expected " + (warmup.size() + events.size()) + " rows, found " + stored);
            }
            return new RawResult(events.size(), batchSize, nanos, cpu);
        }
    }

    // --- the audit-writer's service, in-process -----------------------------------------------

    /**
     * {@link AuditLogWriter#write} on batches of {@code batchSize} messages, one after the other,
     * connected as the INSERT-only role through a pool of 2, as the function is. Also times the
     * contract validation alone on the same bodies.
     */
    public WriterResult writerInProcess(List<AuditEvent> warmup, List<AuditEvent> events, int batchSize) {
        List<List<QueuedMessage>> warmupBatches = batches(AuditEventGenerator.bodies(warmup), batchSize);
        List<String> bodies = AuditEventGenerator.bodies(events);
        List<List<QueuedMessage>> measured = batches(bodies, batchSize);
        AuditEventValidator validator = AuditEventValidator.load();
        try (BenchDatabase database = postgres.freshDatabase();
             HikariDataSource pool = Databases.create(database.enableAuditWriterLogin())) {
            AuditLogWriter writer = new AuditLogWriter(new AuditLogRepository(pool), validator);
            for (List<QueuedMessage> batch : warmupBatches) {
                requireAllWritten(writer.write(batch), batch);
            }
            long[] perBatch = new long[measured.size()];
            CpuAccounting.Snapshot cpuBefore = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port());
            long start = System.nanoTime();
            for (int i = 0; i < measured.size(); i++) {
                long batchStart = System.nanoTime();
                requireAllWritten(writer.write(measured.get(i)), measured.get(i));
                perBatch[i] = System.nanoTime() - batchStart;
            }
            long nanos = System.nanoTime() - start;
            CpuAccounting.Snapshot cpu = CpuAccounting.take(Set.of(), Thread.currentThread(), database.port()).since(cpuBefore);

            double[] passes = new double[VALIDATION_PASSES];
            for (int pass = 0; pass < passes.length; pass++) {
                long validateStart = System.nanoTime();
                for (String body : bodies) {
                    if (!validator.validate(body).isEmpty()) {
                        throw new IllegalStateException("a generated event breaks the contract");
                    }
                }
                passes[pass] = (System.nanoTime() - validateStart) / 1e3 / bodies.size();
            }
            Arrays.sort(passes);
            double validateMicros = passes[passes.length / 2];
            return new WriterResult(events.size(), batchSize, nanos, Latencies.of(perBatch), validateMicros, cpu);
        }
    }

    private static List<List<QueuedMessage>> batches(List<String> bodies, int size) {
        List<List<QueuedMessage>> batches = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += size) {
            batches.add(bodies.subList(from, Math.min(from + size, bodies.size())).stream()
                    .map(body -> new QueuedMessage(UUID.randomUUID().toString(), body)).toList());
        }
        return batches;
    }

    private static void requireAllWritten(WriteReport report, List<QueuedMessage> batch) {
        if (report.written() != batch.size()) {
            throw new IllegalStateException("the audit-writer stored " + report.written() + " of " + batch.size()
                    + " events (failed: " + report.failedMessageIds().size() + "); see its log");
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
                                   int concurrency)
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
                        LocalSqs.queueArn(LocalSqs.AUDIT_QUEUE), LocalSqs.REGION);
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
                return new PipelineResult(concurrency, events.size(), endToEnd, sent - start, drain, preloadNanos,
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
