package dev.pipedesk.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The results of one {@code ./pipedesk bench} run, as a console table and as
 * {@code docs/performance.md} (written whole, so a re-run replaces it).
 *
 * @param sameBatch       the audit-writer in-process against raw JDBC at the same batch sizes (empty when not run)
 * @param pipelineMissing why the pipeline was not measured (null when it was)
 * @param gateway         the local API's overhead over the handler (null when not run)
 * @param rateLimit       the rate limiter's cost per API request (null when not measured)
 * @param syncVisibility  Google change → visible through the API on the local stack (null when not run)
 * @param webhookAck      the webhook's answer latency on the local stack (null when not run)
 * @param fullSync        a full sync of a large calendar, in-process (null when not run)
 * @param timeline        the timeline suite: audit-log API, the peer, query plans (null when not run)
 * @param coldStart       cold start per function against a bare handler (null when not run)
 */
public record PerformanceReport(Machine machine, String database, BenchOptions options, Instant finishedAt,
                                List<AuditIngestBenchmark.SameBatch> sameBatch,
                                List<AuditIngestBenchmark.PipelineResult> pipelines, String pipelineMissing,
                                OutboxOverheadBenchmark.Result outbox, double meanEventBytes,
                                GatewayOverheadBenchmark.Result gateway,
                                RateLimitOverheadBenchmark.Result rateLimit,
                                SyncVisibilityBenchmark.Result syncVisibility,
                                WebhookAckBenchmark.Result webhookAck,
                                FullSyncBenchmark.Result fullSync,
                                TimelineBenchmark.Result timeline,
                                ColdStartBenchmark.Result coldStart) {

    /** The in-process writer's events/s at least this share of raw JDBC's at the same batch size (issue 10). */
    public static final double INGEST_TARGET = 0.9;
    /** Outbox overhead at p95 below this, in milliseconds. */
    public static final double OUTBOX_TARGET_MS = 3.0;
    /** A Google change visible through the API within this at p95, in milliseconds (issue 9). */
    public static final double SYNC_VISIBLE_TARGET_MS = 1_000.0;
    /** The webhook's answer within this at p95 (excluding cold start), in milliseconds (issue 9). */
    public static final double WEBHOOK_TARGET_MS = 100.0;
    public static final String COMMAND = "./pipedesk bench";

    public PerformanceReport {
        sameBatch = List.copyOf(sameBatch);
        pipelines = List.copyOf(pipelines);
    }

    /** Writes the report's charts (SVG) into {@code dir}, which {@link #markdown()}'s images point into. */
    public void writeCharts(java.nio.file.Path dir) {
        IngestSection.writeChart(this, dir);
        if (timeline != null) {
            TimelineSection.writeCharts(dir, timeline);
        }
    }

    /** Overhead of the outbox in the write transaction at a percentile (with − without), ms. */
    public static double overhead(OutboxOverheadBenchmark.Result outbox, double percentile) {
        return outbox.withOutbox().percentileMillis(percentile) - outbox.withoutOutbox().percentileMillis(percentile);
    }

    /** What the caller waits for in all: transaction with the outbox plus the hand-off, minus without, ms. */
    public static double overheadCallerWaits(OutboxOverheadBenchmark.Result outbox, double percentile) {
        return outbox.withOutboxAndHandoff().percentileMillis(percentile) - outbox.withoutOutbox().percentileMillis(percentile);
    }

    // --- console -------------------------------------------------------------------------------

    public String console() {
        StringBuilder out = new StringBuilder();
        IngestSection.console(out, this);
        if (rateLimit != null) {
            out.append(System.lineSeparator()).append("== Rate limiter per API request (").append(n(rateLimit.iterations()))
                    .append(" iterations, ms) ==").append(System.lineSeparator());
            row(out, "", "p50", "p95", "p99");
            latencyRow(out, "shell, limiting off", rateLimit.without());
            latencyRow(out, "shell + DynamoDB limiter", rateLimit.with());
            row(out, "  cost (with - without)", ms(rateLimit.with().p50() - rateLimit.without().p50()),
                    ms(rateLimit.with().p95() - rateLimit.without().p95()), ms(rateLimit.with().p99() - rateLimit.without().p99()));
        }
        if (outbox != null) {
            out.append(System.lineSeparator()).append("== Outbox overhead on a calendar write (")
                    .append(n(outbox.iterations())).append(" iterations, ms) ==").append(System.lineSeparator());
            row(out, "", "p50", "p95", "p99");
            latencyRow(out, "write transaction, no outbox", outbox.withoutOutbox());
            latencyRow(out, "write transaction + outbox append", outbox.withOutbox());
            row(out, "  overhead (with - without)", ms(overhead(outbox, 50)), ms(overhead(outbox, 95)), ms(overhead(outbox, 99)));
            latencyRow(out, "hand-off to the background publisher", outbox.handoff());
            latencyRow(out, "with outbox + hand-off (caller waits)", outbox.withOutboxAndHandoff());
            row(out, "  overhead the caller waits for", ms(overheadCallerWaits(outbox, 50)), ms(overheadCallerWaits(outbox, 95)),
                    ms(overheadCallerWaits(outbox, 99)));
            latencyRow(out, "commit -> published (background)", outbox.publish());
            latencyRow(out, "  of which SQS SendMessageBatch", outbox.publishSend());
        }
        if (gateway != null) {
            out.append(System.lineSeparator()).append("== Local API overhead: client latency minus handler REPORT (")
                    .append(n(gateway.iterations())).append(" requests per size, ms) ==").append(System.lineSeparator());
            row(out, "", "p50", "p95", "p99");
            latencyRow(out, "small response", gateway.small());
            latencyRow(out, "50 KB response", gateway.large());
        }
        if (syncVisibility != null) {
            out.append(System.lineSeparator()).append("== Google change -> visible through the API (")
                    .append(n(syncVisibility.changes())).append(" changes, ms) ==").append(System.lineSeparator());
            row(out, "", "p50", "p95", "p99");
            latencyRow(out, "edit -> new summary read through the API", syncVisibility.visible());
            syncVisibility.pushAnswered().ifPresent(l -> latencyRow(out, "edit -> webhook answered the push", l));
            syncVisibility.syncInvocations().ifPresent(l -> latencyRow(out, "calendar-sync handler (REPORT)", l));
            latencyRow(out, "one API read (GET), the resolution", syncVisibility.reads());
        }
        if (webhookAck != null) {
            out.append(System.lineSeparator()).append("== Webhook acknowledgement (").append(n(webhookAck.requests()))
                    .append(" notifications, ms) ==").append(System.lineSeparator());
            row(out, "", "p50", "p95", "p99");
            latencyRow(out, "client, through the local gateway", webhookAck.client());
            webhookAck.handler().ifPresent(l -> latencyRow(out, "webhook handler (REPORT)", l));
        }
        if (fullSync != null) {
            out.append(System.lineSeparator()).append("== Full sync of ").append(n(fullSync.events())).append(" events ==")
                    .append(System.lineSeparator());
            row(out, "run", "events/s", "elapsed s", "pages");
            for (int i = 0; i < fullSync.runs().size(); i++) {
                FullSyncBenchmark.Run run = fullSync.runs().get(i);
                row(out, "run " + (i + 1) + (run == fullSync.median() ? " (median)" : ""), n(run.eventsPerSecond()),
                        s(run.nanos()), Integer.toString(run.outcome().pages()));
            }
        }
        if (timeline != null) {
            TimelineSection.console(out, timeline);
        }
        if (coldStart != null) {
            ColdStartSection.console(out, coldStart);
        }
        out.append(System.lineSeparator());
        verdicts().forEach(v -> out.append(v.met() ? "MET     " : "MISSED  ").append(v.target()).append(": ")
                .append(v.result()).append(System.lineSeparator()));
        return out.toString();
    }

    static void row(StringBuilder out, String label, String a, String b, String c) {
        out.append(String.format(Locale.ROOT, "%-40s %12s %10s %10s%n", label, a, b, c));
    }

    private static void latencyRow(StringBuilder out, String label, Latencies latencies) {
        row(out, label, ms(latencies.p50()), ms(latencies.p95()), ms(latencies.p99()));
    }

    // --- verdicts ------------------------------------------------------------------------------

    /** One target, what was measured, and whether it was met. */
    public record Verdict(String target, String result, boolean met) {
    }

    public List<Verdict> verdicts() {
        List<Verdict> verdicts = new java.util.ArrayList<>();
        verdicts.addAll(IngestSection.verdicts(this));
        if (outbox != null) {
            double db = overhead(outbox, 95);
            verdicts.add(new Verdict("Outbox overhead < 3 ms at p95, database part (append in the write transaction)",
                    "+" + ms(db) + " ms at p95 (" + ms(outbox.withoutOutbox().p95()) + " -> " + ms(outbox.withOutbox().p95())
                            + " ms)", db < OUTBOX_TARGET_MS));
            double all = overheadCallerWaits(outbox, 95);
            verdicts.add(new Verdict("Outbox overhead < 3 ms at p95, all the caller waits for (append + hand-off of the "
                            + "publish to the background)",
                    "+" + ms(all) + " ms at p95 (the background publish, not waited for: commit -> sent p95 "
                            + ms(outbox.publish().p95()) + " ms)",
                    all < OUTBOX_TARGET_MS));
        }
        if (syncVisibility != null) {
            Latencies visible = syncVisibility.visible();
            verdicts.add(new Verdict("Google change visible through the API < 1 s at p95 (local stack, emulator push)",
                    ms0(visible.p95()) + " ms at p95 (p50 " + ms0(visible.p50()) + " ms, p99 " + ms0(visible.p99())
                            + " ms, max " + ms0(visible.maxMillis()) + " ms; " + n(syncVisibility.changes()) + " changes)",
                    visible.p95() < SYNC_VISIBLE_TARGET_MS));
        }
        if (webhookAck != null) {
            Latencies client = webhookAck.client();
            verdicts.add(new Verdict("Webhook answers < 100 ms at p95, excluding cold start (local stack, client side)",
                    ms(client.p95()) + " ms at p95 (p50 " + ms(client.p50()) + " ms"
                            + webhookAck.handler().map(h -> "; the handler itself " + ms(h.p95()) + " ms at p95").orElse("")
                            + ")",
                    client.p95() < WEBHOOK_TARGET_MS));
        }
        if (timeline != null) {
            verdicts.addAll(TimelineSection.verdicts(timeline));
        }
        if (coldStart != null) {
            verdicts.addAll(ColdStartSection.verdicts(coldStart));
        }
        return verdicts;
    }

    // --- Markdown ------------------------------------------------------------------------------

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Performance\n\n");
        md.append("Measured by `").append(COMMAND).append("` (module `bench/`), last run ")
                .append(DateTimeFormatter.ISO_INSTANT.format(finishedAt.atOffset(ZoneOffset.UTC).toInstant()))
                .append(". This file is generated: re-running the command rewrites it. Benchmarks are not tests; "
                        + "nothing here is asserted by `./mvnw verify`.\n\n");

        md.append("## Machine\n\n| | |\n|---|---|\n");
        md.append("| CPUs (`nproc`) | ").append(machine.cpus()).append(" (").append(machine.cpuModel()).append(") |\n");
        md.append("| Memory | ").append(machine.memory()).append(" |\n");
        md.append("| JDK | ").append(machine.jdk()).append(" |\n");
        md.append("| OS | ").append(machine.os()).append(" |\n");
        md.append("| Load average at start (1 / 5 / 15 min) | ").append(machine.loadAtStart()).append(" |\n");
        md.append("| Database | ").append(database).append(", a fresh one per run |\n");
        md.append("| SQS | ElasticMQ in the benchmark's JVM on 127.0.0.1, through the AWS SDK (url-connection client) |\n\n");

        md.append("Everything (database, queue, function instances, harness) shares these CPUs, and other work on the "
                + "machine shows in the load average above. Repeated full runs here spread by roughly ±15–25% in absolute "
                + "rates (raw JDBC most); the ratios moved by a few points and the verdicts held in every run.\n\n");
        md.append("## Verdicts\n\n| Target | Measured | Verdict |\n|---|---|---|\n");
        for (Verdict v : verdicts()) {
            md.append("| ").append(v.target()).append(" | ").append(v.result()).append(" | ")
                    .append(v.met() ? "**met**" : "**missed**").append(" |\n");
        }
        md.append('\n');

        if (!sameBatch.isEmpty() || !pipelines.isEmpty()) {
            IngestSection.append(md, this);
        }
        if (outbox != null) {
            outboxSection(md);
        }
        if (gateway != null) {
            gatewaySection(md);
        }
        if (rateLimit != null) {
            rateLimitSection(md);
        }
        if (syncVisibility != null || webhookAck != null || fullSync != null) {
            SyncSection.append(md, this);
        }
        if (timeline != null) {
            TimelineSection.append(md, timeline);
        }
        if (coldStart != null) {
            ColdStartSection.append(md, coldStart);
        }
        md.append("## Reproduce\n\n```\n").append(COMMAND).append("\n```\n\n");
        md.append("Builds what is missing (`bench` and what it needs, every function's Lambda layout included), "
                + "then runs everything with the defaults used above (about 10 minutes on this machine, plus about 10 for the "
                + "timeline suite; its first run also generates its database, about 7 minutes and 7 GB of disk). Options:\n\n```\n")
                .append(BenchOptions.USAGE.replace("usage: ", "").replace("\n       ", "\n")).append("\n```\n\n");
        md.append("`--concurrency=1,2,3` adds pipeline runs, `--pipeline-batch=N` sets their batch size; `--only=outbox` skips the ingest runs, `--only=gateway` runs only the local API overhead, `--only=ratelimit` the rate limiter alone, "
                + "`--only=sync-visibility,webhook-ack,full-sync` the Google Calendar sync benchmarks, `--only=timeline` the timeline suite "
                + "(section 6; with `--timeline-scale=1000` on a database a thousandth the size), `--only=zips` the function zips' "
                + "sizes alone (seconds, no database), `--only=coldstart` the cold-start suite "
                + "(section 7, about 10 minutes) (comma-separated names combine); "
                + "a run of some suites replaces only their sections here and keeps the others; "
                + "`--no-output` leaves this file alone. Logs of the audit-writer instances and pollers: `bench/target/bench-logs/`; "
                + "of the sync benchmarks' local stack: `bench/target/bench-logs/local-stack/`.\n");
        return md.toString();
    }

    private void gatewaySection(StringBuilder md) {
        md.append("## 3. Local API overhead\n\n");
        md.append("**Method.** What the local stack adds to a request besides the handler: a function that answers at once "
                        + "(`SizedResponseHandler`, in the real function host, a child JVM) behind the local API gateway on an "
                        + "open route; one request at a time on a keep-alive HTTP/1.1 connection; per request, the client's "
                        + "latency minus the handler's `REPORT` duration. ")
                .append(n(gateway.warmup())).append(" warm-up and ").append(n(gateway.iterations()))
                .append(" measured requests per size. A 50 KB response (about a 50-meeting list) costing some 40 ms more "
                        + "than a small one means Nagle's algorithm is back (TCP_NODELAY off on a JDK `HttpServer`).\n\n");
        md.append("| Overhead (ms) | p50 | p95 | p99 | mean | max |\n|---|---:|---:|---:|---:|---:|\n");
        latencyLine(md, "small response (~10 bytes)", gateway.small());
        latencyLine(md, "50 KB response", gateway.large());
        md.append('\n');
    }

    private void outboxSection(StringBuilder md) {
        md.append("## 2. Outbox overhead on a calendar write\n\n");
        md.append("**Method.** The database part of a calendar write as the calendar function's `PostgresEventStore` does it: one "
                        + "transaction on a HikariCP pool of 2 (`Databases.create`), the mirror row written with "
                        + "`CalendarEventRepository.storeByGoogleId`. *Without*: that transaction alone. *With*: the same "
                        + "plus building the audit event (before/after JSON, changed fields) and `AuditOutbox.append` "
                        + "(contract validation + insert into `audit_outbox`). *Hand-off*: after the commit, "
                        + "`AuditOutbox.publishInBackground` of that event, which is all the function does before it answers. "
                        + "*Background publish*: from the commit until that publish has run on the outbox's background thread "
                        + "(pick the row with a one-statement `FOR UPDATE SKIP LOCKED`, `SendMessageBatch` to ElasticMQ, delete "
                        + "the row); the harness waits for it, untimed for the caller, before the next iteration, so background "
                        + "work never overlaps a measured write. Half the writes create a "
                        + "meeting, half update an earlier one (update events carry before, after and changes). With and "
                        + "without alternate, one of each per iteration in alternating order, on one fresh database: ")
                .append(n(outbox.warmup())).append(" warm-up iterations, then ").append(n(outbox.iterations()))
                .append(" measured. Percentiles by nearest rank over the raw samples; overhead = percentile(with) − "
                        + "percentile(without).\n\n");
        md.append("| Latency (ms) | p50 | p95 | p99 | mean | max |\n|---|---:|---:|---:|---:|---:|\n");
        latencyLine(md, "write transaction, no outbox", outbox.withoutOutbox());
        latencyLine(md, "write transaction + outbox append", outbox.withOutbox());
        md.append("| **overhead in the transaction** | **").append(ms(overhead(outbox, 50))).append("** | **")
                .append(ms(overhead(outbox, 95))).append("** | **").append(ms(overhead(outbox, 99))).append("** | | |\n");
        latencyLine(md, "hand-off to the background publisher", outbox.handoff());
        latencyLine(md, "transaction + outbox + hand-off (what the caller waits for)", outbox.withOutboxAndHandoff());
        md.append("| **overhead the caller waits for** | **").append(ms(overheadCallerWaits(outbox, 50))).append("** | **")
                .append(ms(overheadCallerWaits(outbox, 95))).append("** | **").append(ms(overheadCallerWaits(outbox, 99)))
                .append("** | | |\n");
        latencyLine(md, "background: commit -> published and row deleted", outbox.publish());
        latencyLine(md, "… of which the SQS SendMessageBatch", outbox.publishSend());
        md.append("\n");
        md.append("At the end ").append(n(outbox.leftInOutbox())).append(" row(s) were left in `audit_outbox` and the audit "
                + "queue held ").append(n(outbox.queued())).append(" message(s) (every warm-up and measured event published).\n\n");
        md.append(OutboxFindings.text(this));
    }

    private void rateLimitSection(StringBuilder md) {
        md.append("## 4. Rate limiter overhead per API request\n\n");
        md.append("**Method.** The HTTP API functions' shell (`ApiFunction.handle`: principal, rate limit, route policy, a "
                        + "handler that does nothing, JSON error rendering) once with limiting off and once with "
                        + "`DynamoDbRateLimiter` (one conditional `UpdateItem` with `ADD`, production client settings: "
                        + "the SDK's Apache HTTP client, 200 ms per call, no retries; until 2026-12-02 the url-connection "
                        + "client, whose check before every reused POST — a read with a 1 ms timeout — made the cost "
                        + "2.07 ms at p50 in the last run with it; the Apache client checks only a connection idle for "
                        + "2 s or more, which back-to-back calls here never are) against PipeDesk's DynamoDB emulator in the "
                        + "benchmark's JVM on 127.0.0.1. The limit is never reached (").append(n(rateLimit.refused()))
                .append(" refused). With and without alternate, one of each per iteration: ").append(n(rateLimit.warmup()))
                .append(" warm-up iterations, then ").append(n(rateLimit.iterations())).append(" measured (the counts of "
                        + "`--outbox-warmup`/`--outbox-iterations`).\n\n");
        md.append("| Latency (ms) | p50 | p95 | p99 | mean | max |\n|---|---:|---:|---:|---:|---:|\n");
        latencyLine(md, "shell, limiting off (`RATE_LIMIT_USER_PER_MINUTE=0`)", rateLimit.without());
        latencyLine(md, "shell + DynamoDB rate limiter", rateLimit.with());
        md.append("| **cost of the limiter** | **").append(ms(rateLimit.with().p50() - rateLimit.without().p50()))
                .append("** | **").append(ms(rateLimit.with().p95() - rateLimit.without().p95())).append("** | **")
                .append(ms(rateLimit.with().p99() - rateLimit.without().p99())).append("** | | |\n\n");
        md.append("This is the client side of one `UpdateItem` (SDK marshalling, signing, HTTP on loopback) plus the "
                + "emulator's work. In AWS, DynamoDB's own round trip within the region comes on top (single-digit "
                + "milliseconds is what DynamoDB advertises; not measured here). Load tests that are not about the limit "
                + "may set `RATE_LIMIT_USER_PER_MINUTE=0`, and should say so.\n\n");
    }

    static void latencyLine(StringBuilder md, String label, Latencies l) {
        md.append("| ").append(label).append(" | ").append(ms(l.p50())).append(" | ").append(ms(l.p95())).append(" | ")
                .append(ms(l.p99())).append(" | ").append(ms(l.meanMillis())).append(" | ").append(ms(l.maxMillis()))
                .append(" |\n");
    }

    // --- formatting ----------------------------------------------------------------------------

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    static String n(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }

    /** Whole milliseconds, with thousands separators. */
    static String ms0(double millis) {
        return String.format(Locale.ROOT, "%,.0f", millis);
    }

    static String s(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
