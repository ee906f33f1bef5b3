package dev.pipedesk.bench;

import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.local.RepoRoot;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code ./pipedesk bench}: runs the audit ingest, outbox overhead, local API overhead, rate limiter overhead and Google
 * Calendar sync benchmarks (change visibility, webhook acknowledgement, full sync), the timeline suite and the function
 * zips' sizes ({@link FunctionZips}), prints a table and writes {@code docs/performance.md}. Options: {@link BenchOptions#USAGE}.
 */
public final class Benchmarks {
    /** The same seed for every run: every ingest run gets events of the same shapes (with fresh ids). */
    private static final long EVENT_SEED = 20_260_301L;
    /** The batch sizes at which the writer is held to the raw baseline (issue 10). */
    static final List<Integer> SAME_BATCH_SIZES = List.of(10, 100, 1_000);
    /** The pipeline's batching window (its batch size is {@link BenchOptions#pipelineBatchSize()}). */
    static final java.time.Duration PIPELINE_WINDOW = java.time.Duration.ofMillis(500);
    /** Requests per response size for the local API overhead (at most the outbox's counts, so smoke runs stay small). */
    private static final int GATEWAY_WARMUP = 100;
    private static final int GATEWAY_ITERATIONS = 500;

    private final Path repoRoot;
    private final PrintStream out;

    public Benchmarks(Path repoRoot, PrintStream out) {
        this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
        this.out = Objects.requireNonNull(out, "out");
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        Path repoRoot = locateRepoRoot(Path.of(System.getProperty("user.dir")));
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, repoRoot);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        PerformanceReport report = options.runsWithDatabase() ? new Benchmarks(repoRoot, System.out).run(options) : null;
        String markdown = report == null ? "# Performance\n\n" : report.markdown();
        if (report != null) {
            System.out.print(report.console());
        }
        if (options.runs("zips")) {
            var zips = FunctionZips.measure(repoRoot);
            System.out.print(FunctionZips.console(zips));
            markdown = ReportMerge.merge(markdown, FunctionZips.markdown(zips));
        }
        if (options.output() != null) {
            Files.createDirectories(options.output().getParent());
            if (!options.only().isEmpty() && Files.exists(options.output())) {
                // some suites only: replace their sections, keep the others (and their verdicts)
                markdown = ReportMerge.merge(Files.readString(options.output()), markdown);
            }
            Files.writeString(options.output(), markdown, StandardCharsets.UTF_8);
            if (report != null) {
                report.writeCharts(options.output().getParent());
            }
            System.out.println("Wrote " + repoRoot.relativize(options.output()));
        }
        // ElasticMQ's actor system and the pools' housekeeping threads are not all daemons.
        System.exit(0);
    }

    public PerformanceReport run(BenchOptions options) throws Exception {
        Machine machine = Machine.current();
        out.println("PipeDesk benchmarks on " + machine.cpus() + " CPU(s), " + machine.memory() + ", " + machine.jdk());
        try (BenchPostgres postgres = BenchPostgres.start()) {
            return run(options, machine, postgres);
        }
    }

    private PerformanceReport run(BenchOptions options, Machine machine, BenchPostgres postgres) throws Exception {
        List<AuditIngestBenchmark.SameBatch> sameBatch = new ArrayList<>();
        List<AuditIngestBenchmark.PipelineResult> pipelines = new ArrayList<>();
        String pipelineMissing = null;
        double meanEventBytes = 0;
        if (options.runs("ingest")) {
            Path logDir = repoRoot.resolve("bench").resolve("target").resolve("bench-logs");
            AuditIngestBenchmark ingest = new AuditIngestBenchmark(postgres, repoRoot, logDir, out);
            meanEventBytes = AuditEventGenerator.bodies(events(options.events())).stream()
                    .mapToInt(body -> body.getBytes(StandardCharsets.UTF_8).length).average().orElse(0);
            sameBatch = writerVersusRaw(ingest, options);

            if (ingest.auditWriterBuilt()) {
                for (int concurrency : options.concurrency()) {
                    out.println("Audit ingest, SQS -> poller (batch size " + options.pipelineBatchSize() + ", window "
                            + PIPELINE_WINDOW.toMillis() + " ms) -> audit-writer, concurrency " + concurrency + "...");
                    AuditIngestBenchmark.PipelineResult result = ingest.pipeline(warmup(options), events(options.events()),
                            events(options.events()), concurrency, options.pipelineBatchSize(), PIPELINE_WINDOW);
                    out.printf("  end to end %,.0f events/s, pre-loaded queue %,.0f events/s%n", result.eventsPerSecond(),
                            result.drainEventsPerSecond());
                    pipelines.add(result);
                }
            } else {
                pipelineMissing = "the audit-writer function is not built (functions/audit-writer/target/lambda/lib)";
                out.println("Audit ingest pipeline skipped: " + pipelineMissing);
            }
        }
        OutboxOverheadBenchmark.Result outbox = null;
        if (options.runs("outbox")) {
            out.println("Outbox overhead on a calendar write...");
            outbox = new OutboxOverheadBenchmark(postgres, out).run(options.outboxWarmup(), options.outboxIterations());
        }
        GatewayOverheadBenchmark.Result gateway = null;
        if (options.runs("gateway")) {
            out.println("Local API overhead (gateway + function host, minus the handler's REPORT duration)...");
            gateway = new GatewayOverheadBenchmark(repoRoot.resolve("bench").resolve("target").resolve("bench-logs"), out)
                    .run(Math.min(GATEWAY_WARMUP, options.outboxWarmup()), Math.min(GATEWAY_ITERATIONS, options.outboxIterations()));
        }
        RateLimitOverheadBenchmark.Result rateLimit = null;
        if (options.runs("ratelimit")) {
            out.println("Rate limiter overhead per API request (DynamoDB emulator)...");
            rateLimit = new RateLimitOverheadBenchmark(out).run(options.outboxWarmup(), options.outboxIterations());
        }
        SyncVisibilityBenchmark.Result syncVisibility = null;
        WebhookAckBenchmark.Result webhookAck = null;
        if (options.runs("sync-visibility") || options.runs("webhook-ack")) {
            out.println("Local stack for the sync benchmarks (free ports, rate limit off)...");
            Path stackLogs = repoRoot.resolve("bench").resolve("target").resolve("bench-logs").resolve("local-stack");
            try (BenchStack stack = BenchStack.start(repoRoot, stackLogs, out)) {
                if (options.runs("sync-visibility")) {
                    out.println("Google change -> visible through the API (emulator push, webhook, FIFO queue, calendar-sync)...");
                    syncVisibility = new SyncVisibilityBenchmark(stack, out).run(options.syncWarmup(), options.syncChanges());
                }
                if (options.runs("webhook-ack")) {
                    out.println("Webhook acknowledgement latency...");
                    webhookAck = new WebhookAckBenchmark(stack, out).run(options.webhookWarmup(), options.webhookRequests());
                }
            }
        }
        FullSyncBenchmark.Result fullSync = null;
        if (options.runs("full-sync")) {
            out.println("Full sync of " + options.syncEvents() + " events (CalendarSync in-process, emulator, embedded PostgreSQL)...");
            fullSync = new FullSyncBenchmark(postgres, out).run(options.syncEvents(), options.repeat());
        }
        TimelineBenchmark.Result timeline = null;
        if (options.runs("timeline")) {
            out.println("Timeline suite on the stored benchmark database (generated on first use)...");
            timeline = new TimelineBenchmark(repoRoot, out).run(options.timeline());
        }
        ColdStartBenchmark.Result coldStart = null;
        if (options.runs("coldstart")) {
            out.println("Cold start per function against a bare handler (fresh JVMs, the local services)...");
            coldStart = new ColdStartBenchmark(repoRoot, repoRoot.resolve("bench").resolve("target").resolve("bench-logs")
                    .resolve("coldstart"), out).run(options.coldStart());
        }
        return new PerformanceReport(machine, postgres.describe(), options, Instant.now(), sameBatch,
                pipelines, pipelineMissing, outbox, meanEventBytes, gateway, rateLimit, syncVisibility, webhookAck, fullSync,
                timeline, coldStart);
    }

    /**
     * Raw JDBC and the writer at each of {@link #SAME_BATCH_SIZES}, interleaved: {@code repeat} rounds, each running
     * every batch size once, raw first in even rounds and the writer first in odd ones; then the writer's breakdown.
     */
    private List<AuditIngestBenchmark.SameBatch> writerVersusRaw(AuditIngestBenchmark ingest, BenchOptions options)
            throws Exception {
        java.util.Map<Integer, List<AuditIngestBenchmark.Run>> raw = new java.util.LinkedHashMap<>();
        java.util.Map<Integer, List<AuditIngestBenchmark.Run>> writer = new java.util.LinkedHashMap<>();
        for (int round = 0; round < options.repeat(); round++) {
            for (int size : SAME_BATCH_SIZES) {
                for (int turn = 0; turn < 2; turn++) {
                    boolean rawTurn = (turn == 0) == (round % 2 == 0);
                    AuditIngestBenchmark.Run run = rawTurn
                            ? ingest.raw(warmup(options), events(options.events()), size)
                            : ingest.writer(warmup(options), events(options.events()), size);
                    (rawTurn ? raw : writer).computeIfAbsent(size, k -> new ArrayList<>()).add(run);
                    out.printf("  round %d, batch %,d, %-10s %,.0f events/s%n", round + 1, size, rawTurn ? "raw JDBC" : "writer",
                            run.eventsPerSecond());
                }
            }
        }
        List<AuditIngestBenchmark.SameBatch> results = new ArrayList<>();
        for (int size : SAME_BATCH_SIZES) {
            AuditIngestBenchmark.SameBatch result = new AuditIngestBenchmark.SameBatch(size, raw.get(size), writer.get(size),
                    ingest.breakdown(events(options.events()), size));
            out.printf("Audit ingest, batch %,d: writer/raw %.2f (medians)%n", size, result.ratio());
            results.add(result);
        }
        return results;
    }

    /** A benchmark that may throw. */
    @FunctionalInterface
    private interface Run<T> {
        T run() throws Exception;
    }

    /** Runs {@code times} times (each on its own fresh database) and keeps the run with the median rate. */
    private <T> T median(int times, Run<T> run, java.util.function.ToDoubleFunction<T> rate) throws Exception {
        List<T> results = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            T result = run.run();
            out.printf("  run %d: %,.0f events/s%n", i + 1, rate.applyAsDouble(result));
            results.add(result);
        }
        results.sort(java.util.Comparator.comparingDouble(rate));
        return results.get(results.size() / 2);
    }

    /** The measured events of a run: always the same shapes, fresh ids. */
    private static List<AuditEvent> events(int count) {
        return new AuditEventGenerator(EVENT_SEED).generate(count);
    }

    private static List<AuditEvent> warmup(BenchOptions options) {
        return new AuditEventGenerator(EVENT_SEED + 1).generate(options.warmupEvents());
    }

    /** The nearest directory holding {@code functions/} and {@code pom.xml}. */
    static Path locateRepoRoot(Path start) {
        return RepoRoot.find(start).orElseThrow(() -> new IllegalStateException(
                "Cannot find the PipeDesk checkout from " + start.toAbsolutePath()
                        + "; run ./pipedesk bench from inside the repository"));
    }
}
