package dev.pipedesk.bench;

import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.timeline.TimelineRoutes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The timeline suite ({@code --only=timeline}): on the stored benchmark database
 * ({@link TimelineDatabase}), the audit-log API in-process and through the local API, the peer's
 * timeline method, and EXPLAIN of every query shape.
 */
public final class TimelineBenchmark {
    /** Plans shown for comparison, of statements the API no longer runs; the sequential-scan check skips them. */
    static final String REFERENCE = "reference, not run by the API: ";

    private final Path repoRoot;
    private final PrintStream out;

    public TimelineBenchmark(Path repoRoot, PrintStream out) {
        this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * What the suite measured.
     *
     * @param database   the server and its settings
     * @param load       the load average when the suite started
     * @param auditLogs  the audit-log API per shape (through the API too unless {@code apiMissing})
     * @param apiMissing why nothing was measured through the local API (null when it was)
     * @param plans      EXPLAIN (ANALYZE, BUFFERS) of every query shape
     * @param peer       the peer's method per shape
     */
    public record Result(TimelineOptions options, TimelineDatabase.Generation generation, String database, String load,
                         List<AuditLogApiBenchmark.ShapeResult> auditLogs, String apiMissing, List<QueryPlans.Plan> plans,
                         List<PeerResult> peer, Instant finishedAt) {
        public Result {
            auditLogs = List.copyOf(auditLogs);
            plans = List.copyOf(plans);
            peer = List.copyOf(peer);
        }
    }

    /** The peer's method for one shape: its latency and what it answered. */
    public record PeerResult(String shape, Latencies latencies, int items, int total) {
    }

    public Result run(TimelineOptions options) throws Exception {
        String load = Machine.current().loadAtStart();
        Path root = repoRoot.resolve("bench").resolve("target").resolve("timeline-data");
        Path migrations = repoRoot.resolve("libs").resolve("migrations").resolve("src").resolve("main").resolve("resources")
                .resolve("db").resolve("migration");
        try (TimelineDatabase database = TimelineDatabase.open(root, migrations, options.size(), out)) {
            BenchDataGenerator.Summary data = database.summary();
            out.println("  big deal " + data.bigDealId() + "; typical " + data.typicalType() + " " + data.typicalId() + " ("
                    + data.typicalOwnAudit() + " own audit rows, " + data.typicalMeetings() + " meetings, "
                    + data.typicalEmails() + " e-mails); busiest user " + data.busyUser());
            TimelineRoutes routes = new TimelineRoutes(new AuditLogRepository(database.pool()));
            AuditLogApiBenchmark auditLogs = new AuditLogApiBenchmark(database, out);
            List<AuditLogApiBenchmark.Shape> shapes = auditLogs.shapes(routes);
            out.println("Audit-log API in-process (TimelineRoutes on a pool of " + database.settings().maxPoolSize() + ")...");
            List<AuditLogApiBenchmark.ShapeResult> results = auditLogs.inProcess(routes, shapes, options.warmup(),
                    options.iterations(), options.shapeSeconds());

            out.println("EXPLAIN (ANALYZE, BUFFERS) of every query shape...");
            List<QueryPlans.Plan> plans = new ArrayList<>();
            for (AuditLogApiBenchmark.Shape shape : shapes) {
                AuditLogRepository.ListStatements statements = AuditLogRepository.statements(shape.query());
                plans.add(QueryPlans.explain(database.unpooled(), "audit-log API, " + shape.name() + ": total",
                        statements.count().sql(), statements.count().parameters()));
                plans.add(QueryPlans.explain(database.unpooled(), "audit-log API, " + shape.name() + ": page",
                        statements.page().sql(), statements.page().parameters()));
            }
            plans.add(QueryPlans.explain(database.unpooled(), REFERENCE + "the uncapped total of action=update, as counted before",
                    "select count(*) from audit_logs where action = ?", List.of("update")));
            plans.forEach(plan -> out.printf("  %-80s %8.2f ms%s%n", plan.name(), plan.executionMillis(),
                    plan.flagged() ? "  SEQ SCAN on " + plan.seqScans() : ""));

            out.println("The peer's timeline method (whole meetings table + the entity's audit rows, merged in memory)...");
            List<PeerResult> peer = peer(database, options);

            String apiMissing = null;
            if (!LocalFunctions.TIMELINE.isBuilt(repoRoot)) {
                apiMissing = "the timeline function is not built (functions/timeline/target/lambda)";
                out.println("Through the local API: skipped, " + apiMissing);
            } else {
                out.println("Audit-log API through the local API (gateway + authorizer + rate limiter + function)...");
                Path logs = repoRoot.resolve("bench").resolve("target").resolve("bench-logs").resolve("timeline-stack");
                try (BenchStack stack = BenchStack.start(repoRoot, logs, out, o -> o.withDatabase(database.settings())
                        .withFunctionEnvironment(LocalFunctions.TIMELINE.name(), Map.of(
                                RateLimitSettings.Variable.RATE_LIMIT_USER_PER_MINUTE.name(),
                                Integer.toString(RateLimitSettings.DEFAULT_USER_LIMIT_PER_MINUTE))))) {
                    results = auditLogs.throughApi(stack, results, options.apiWarmup(), options.apiIterations());
                }
            }
            return new Result(options, database.generation(), database.describe(), load, results, apiMissing, plans, peer,
                    Instant.now());
        }
    }

    private List<PeerResult> peer(TimelineDatabase database, TimelineOptions options) {
        BenchDataGenerator.Summary data = database.summary();
        PeerTimeline peer = new PeerTimeline(database.pool());
        List<PeerResult> results = new ArrayList<>();
        record Call(String name, String type, String id, String email, int offset) {
        }
        List<Call> calls = List.of(
                new Call("big deal, first page", "deal", data.bigDealId(), data.bigDealEmail(), 0),
                new Call("big deal, page " + (AuditLogApiBenchmark.DEEP_PAGES + 1) + " (offset)", "deal", data.bigDealId(),
                        data.bigDealEmail(), AuditLogApiBenchmark.DEEP_PAGES * AuditLogApiBenchmark.PAGE),
                new Call("typical " + data.typicalType() + ", first page", data.typicalType(), data.typicalId(),
                        data.typicalEmail(), 0));
        for (Call call : calls) {
            PeerTimeline.Page[] last = new PeerTimeline.Page[1];
            Latencies latencies = Budget.measure(Math.min(3, options.peerIterations()), options.peerIterations(),
                    options.shapeSeconds(), () -> last[0] = peer.page(call.type(), call.id(), call.email(), null, null, null,
                            AuditLogApiBenchmark.PAGE, call.offset()));
            out.printf("  peer, %-42s p50 %8.2f ms p95 %8.2f ms (%d samples; %d items, total %,d)%n", call.name(),
                    latencies.p50(), latencies.p95(), latencies.count(), last[0].items().size(), last[0].total());
            results.add(new PeerResult(call.name(), latencies, last[0].items().size(), last[0].total()));
        }
        return results;
    }
}
