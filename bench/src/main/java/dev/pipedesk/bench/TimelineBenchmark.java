package dev.pipedesk.bench;

import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.SqlStatement;
import dev.pipedesk.postgres.TimelineRepository;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.timeline.TimelineRoutes;
import dev.pipedesk.timeline.TimelineService;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The timeline suite ({@code --only=timeline}): on the stored benchmark database
 * ({@link TimelineDatabase}), the unified timeline (in-process against its raw SQL, the
 * materialized alternative and the peer's method) and the audit-log API, each in-process and
 * through the local API, and EXPLAIN of every query shape.
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
     * @param database     the server and its settings
     * @param load         the load average when the suite started
     * @param timeline     the unified timeline per shape (with the raw SQL, the materialized design, the peer;
     *                     through the API too unless {@code apiMissing})
     * @param materialized the materialized design's table: rows, build time (0: found built), size
     * @param auditLogs    the audit-log API per shape
     * @param apiMissing   why nothing was measured through the local API (null when it was)
     * @param plans        EXPLAIN (ANALYZE, BUFFERS) of every query shape
     */
    public record Result(TimelineOptions options, TimelineDatabase.Generation generation, String database, String load,
                         List<TimelineApiBenchmark.ShapeResult> timeline, MaterializedTimeline.Built materialized,
                         List<AuditLogApiBenchmark.ShapeResult> auditLogs, String apiMissing, List<QueryPlans.Plan> plans,
                         Instant finishedAt) {
        public Result {
            timeline = List.copyOf(timeline);
            auditLogs = List.copyOf(auditLogs);
            plans = List.copyOf(plans);
        }
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
            TimelineRepository timelineRepository = new TimelineRepository(database.pool());
            TimelineRoutes routes = new TimelineRoutes(new AuditLogRepository(database.pool()),
                    new TimelineService(timelineRepository));

            out.println("The materialized design's table (bench only; built once on the stored database)...");
            MaterializedTimeline.Built materialized = MaterializedTimeline.ensure(database.unpooled());
            out.printf("  %,d rows, %s%s%n", materialized.rows(), TimelineDatabase.gigabytes(materialized.bytes()),
                    materialized.seconds() > 0 ? String.format(java.util.Locale.ROOT, ", built in %.0f s", materialized.seconds())
                            : ", found built");

            TimelineApiBenchmark timeline = new TimelineApiBenchmark(database, out);
            List<TimelineApiBenchmark.Shape> timelineShapes = timeline.shapes(routes);
            out.println("Unified timeline in-process, its raw SQL, then the materialized design...");
            List<TimelineApiBenchmark.ShapeResult> timelineResults = timeline.inProcess(routes, timelineShapes, options);

            AuditLogApiBenchmark auditLogs = new AuditLogApiBenchmark(database, out);
            List<AuditLogApiBenchmark.Shape> shapes = auditLogs.shapes(routes);
            out.println("Audit-log API in-process (TimelineRoutes on a pool of " + database.settings().maxPoolSize() + ")...");
            List<AuditLogApiBenchmark.ShapeResult> results = auditLogs.inProcess(routes, shapes, options.warmup(),
                    options.iterations(), options.shapeSeconds());

            out.println("The earlier backend's method per timeline shape (last: it reads the whole meetings table per call)...");
            timelineResults = timeline.withPeers(timelineResults, options);

            out.println("EXPLAIN (ANALYZE, BUFFERS) of every query shape...");
            List<QueryPlans.Plan> plans = new ArrayList<>();
            for (TimelineApiBenchmark.Shape shape : timelineShapes) {
                SqlStatement merged = timelineRepository.mergedStatement(shape.repository());
                plans.add(QueryPlans.explain(database.unpooled(), "timeline, " + shape.name(), merged.sql(), merged.parameters()));
            }
            for (AuditLogApiBenchmark.Shape shape : shapes) {
                SqlStatement merged = AuditLogRepository.statements(shape.query()).merged();
                plans.add(QueryPlans.explain(database.unpooled(), "audit-log API, " + shape.name(), merged.sql(),
                        merged.parameters()));
            }
            for (TimelineApiBenchmark.Shape shape : timelineShapes) {
                plans.add(QueryPlans.explain(database.unpooled(), REFERENCE + "the materialized design, " + shape.name(),
                        shape.materialized().sql(), shape.materialized().parameters()));
            }
            plans.add(QueryPlans.explain(database.unpooled(), REFERENCE + "the uncapped total of action=update, as counted before",
                    "select count(*) from audit_logs where action = ?", List.of("update")));
            plans.forEach(plan -> out.printf("  %-80s %8.2f ms%s%n", plan.name(), plan.executionMillis(),
                    plan.flagged() ? "  SEQ SCAN on " + plan.seqScans() : ""));

            String apiMissing = null;
            if (!LocalFunctions.TIMELINE.isBuilt(repoRoot)) {
                apiMissing = "the timeline function is not built (functions/timeline/target/lambda)";
                out.println("Through the local API: skipped, " + apiMissing);
            } else {
                out.println("Timeline and audit-log API through the local API (gateway + authorizer + rate limiter + function)...");
                Path logs = repoRoot.resolve("bench").resolve("target").resolve("bench-logs").resolve("timeline-stack");
                try (BenchStack stack = BenchStack.start(repoRoot, logs, out, o -> o.withDatabase(database.settings())
                        .withFunctionEnvironment(LocalFunctions.TIMELINE.name(), Map.of(
                                RateLimitSettings.Variable.RATE_LIMIT_USER_PER_MINUTE.name(),
                                Integer.toString(RateLimitSettings.DEFAULT_USER_LIMIT_PER_MINUTE))))) {
                    timelineResults = timeline.throughApi(stack, timelineResults, options.apiWarmup(), options.apiIterations());
                    results = auditLogs.throughApi(stack, results, options.apiWarmup(), options.apiIterations());
                }
            }
            return new Result(options, database.generation(), database.describe(), load, timelineResults, materialized, results,
                    apiMissing, plans, Instant.now());
        }
    }
}
