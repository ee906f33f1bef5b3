package dev.pipedesk.bench;

import static dev.pipedesk.bench.PerformanceReport.ms;
import static dev.pipedesk.bench.PerformanceReport.n;
import static dev.pipedesk.bench.PerformanceReport.percent;
import static dev.pipedesk.bench.PerformanceReport.s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Section 1 of the report, audit ingest: the restated target (the audit-writer in-process against
 * raw JDBC at the same batch size), its chart, and the pipeline numbers as information.
 */
final class IngestSection {
    /** The chart, relative to {@code docs/}. */
    static final String CHART = "performance/ingest-writer-vs-raw.svg";

    private IngestSection() {
    }

    static void console(StringBuilder out, PerformanceReport report) {
        if (report.sameBatch().isEmpty() && report.pipelines().isEmpty() && report.pipelineMissing() == null) {
            return;
        }
        out.append(System.lineSeparator()).append("== Audit ingest (").append(n(report.options().events()))
                .append(" events per run, medians) ==").append(System.lineSeparator());
        PerformanceReport.row(out, "batch size", "raw ev/s", "writer ev/s", "writer/raw");
        for (AuditIngestBenchmark.SameBatch b : report.sameBatch()) {
            PerformanceReport.row(out, n(b.batchSize()), n(b.medianRaw().eventsPerSecond()),
                    n(b.medianWriter().eventsPerSecond()), String.format(Locale.ROOT, "%.2f", b.ratio()));
        }
        for (AuditIngestBenchmark.PipelineResult p : report.pipelines()) {
            PerformanceReport.row(out, "pipeline x" + p.concurrency() + " (batch " + p.batchSize() + "), end to end",
                    n(p.eventsPerSecond()), "", s(p.endToEnd().nanos()) + " s");
            PerformanceReport.row(out, "pipeline x" + p.concurrency() + " (batch " + p.batchSize() + "), pre-loaded",
                    n(p.drainEventsPerSecond()), "", s(p.drain().nanos()) + " s");
        }
        if (report.pipelineMissing() != null) {
            out.append("pipeline not measured: ").append(report.pipelineMissing()).append(System.lineSeparator());
        }
    }

    static List<PerformanceReport.Verdict> verdicts(PerformanceReport report) {
        List<PerformanceReport.Verdict> verdicts = new ArrayList<>();
        for (AuditIngestBenchmark.SameBatch b : report.sameBatch()) {
            double[] range = b.roundRatioRange();
            verdicts.add(new PerformanceReport.Verdict(
                    "Audit-writer in-process >= 0.9x raw JDBC at batch size " + n(b.batchSize()),
                    String.format(Locale.ROOT, "%.3f×", b.ratio()) + ": " + n(b.medianWriter().eventsPerSecond()) + " vs "
                            + n(b.medianRaw().eventsPerSecond()) + " events/s (medians of " + b.raw().size()
                            + " interleaved runs; per round " + String.format(Locale.ROOT, "%.2f–%.2f×", range[0], range[1])
                            + "; in CPU per event " + String.format(Locale.ROOT, "%.2f×", b.cpuRatio()) + ")",
                    b.ratio() >= PerformanceReport.INGEST_TARGET));
        }
        return verdicts;
    }

    /** The raw median at the pipeline's batch size, when that size was measured. */
    static Optional<AuditIngestBenchmark.SameBatch> atBatchSize(PerformanceReport report, int batchSize) {
        return report.sameBatch().stream().filter(b -> b.batchSize() == batchSize).findFirst();
    }

    static void writeChart(PerformanceReport report, Path docsDir) {
        if (report.sameBatch().isEmpty()) {
            return;
        }
        List<String> categories = report.sameBatch().stream().map(b -> "batch of " + n(b.batchSize())).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("raw JDBC (same INSERT, pre-serialised rows)",
                report.sameBatch().stream().map(b -> b.medianRaw().eventsPerSecond()).toList());
        series.put("audit-writer in-process (handler path, validation)",
                report.sameBatch().stream().map(b -> b.medianWriter().eventsPerSecond()).toList());
        SvgCharts.groupedBars(docsDir.resolve(CHART), "Audit ingest: writer vs raw JDBC at the same batch size (medians)",
                "events/s", categories, series);
    }

    static void append(StringBuilder md, PerformanceReport report) {
        BenchOptions options = report.options();
        md.append("## 1. Audit ingest rate\n\n");
        md.append("**Method.** ").append(n(options.events())).append(" generated audit events per run (valid against the "
                        + "contract; a mix of meeting create/update/cancel/sync_update, lead status_change and deal update with "
                        + "before/after/changes; mean ").append(n(report.meanEventBytes())).append(" bytes of JSON), fresh event "
                        + "ids per run. Every run starts a fresh embedded database, writes ").append(n(options.warmupEvents()))
                .append(" warm-up events of its own through the same path, then measures its events one batch after the "
                        + "other. Both sides connect as `pipedesk_audit_writer` through a HikariCP pool of 2 "
                        + "(`Databases.create`, as the function does) and insert with the same statement, "
                        + "`NewAuditLogEntry.insertSql`: one multi-row `INSERT … ON CONFLICT (event_id) DO NOTHING` per batch "
                        + "(at most 4,369 rows, PostgreSQL's 65,535 parameters over 15 columns), autocommit.\n\n");
        md.append("- **raw JDBC**: the batch's rows pre-serialised before timing (every value ready to bind, JSON as text), "
                + "bound with `setObject` and executed — no parsing, no validation;\n");
        md.append("- **audit-writer in-process**: the function's real handler path in the benchmark's JVM — "
                + "`SqsBatchShell.apply` on the batch's SQS event JSON (built before timing, as Lambda sends it: records with "
                + "message id, receipt handle, attributes, body), which reads each record's message id and body in one Jackson streaming pass (`SqsEventReader`), "
                + "and `AuditLogWriter`, which checks every body against the contract (`ContractFastPath`: one streaming pass "
                + "that accepts only what certainly keeps the contract and builds the row from the body's own text; anything "
                + "else goes to the JSON Schema validator, the contract's authority, as every event did before), builds the "
                + "rows and appends them (`AuditLogRepository.append`), then the partial batch response, with its logging as it ships "
                + "(an all-written batch logs its line at FINE, which is off).\n\n");
        md.append("The target: writer ≥ ").append(String.format(Locale.ROOT, "%.1f", PerformanceReport.INGEST_TARGET))
                .append("× raw JDBC in events/s at the same batch size, at ")
                .append(String.join(", ", Benchmarks.SAME_BATCH_SIZES.stream().map(PerformanceReport::n).toList()))
                .append(". ").append(options.repeat()).append(" rounds, interleaved: each round runs every batch size, raw "
                        + "first in odd rounds and the writer first in even ones; medians per side. This section's run ended ")
                .append(java.time.format.DateTimeFormatter.ISO_INSTANT.format(report.finishedAt())).append("; load average "
                        + "at its start (1 / 5 / 15 min): ").append(report.machine().loadAtStart())
                .append(" on ").append(report.machine().cpus()).append(" CPUs shared with other work, so absolute rates here "
                        + "are low and noisy; the interleaving and the medians are what make the ratio comparable.\n\n");
        md.append("![Audit ingest: writer vs raw JDBC by batch size](").append(CHART).append(")\n\n");
        md.append("| Batch size | Raw JDBC events/s | Writer events/s | **Writer / raw** | Per round | In CPU per event (raw / writer) | Raw batch p50 | Writer batch p50 |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AuditIngestBenchmark.SameBatch b : report.sameBatch()) {
            double[] range = b.roundRatioRange();
            md.append("| ").append(n(b.batchSize())).append(" | ").append(n(b.medianRaw().eventsPerSecond())).append(" | ")
                    .append(n(b.medianWriter().eventsPerSecond())).append(" | **")
                    .append(String.format(Locale.ROOT, "%.3f×", b.ratio())).append("** | ")
                    .append(String.format(Locale.ROOT, "%.2f–%.2f×", range[0], range[1])).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f×", b.cpuRatio())).append(" | ")
                    .append(ms(b.medianRaw().batches().p50())).append(" ms | ").append(ms(b.medianWriter().batches().p50()))
                    .append(" ms |\n");
        }
        md.append('\n');
        md.append("Every run, in order (events/s):\n\n| Batch size | Raw JDBC | Writer |\n|---:|---|---|\n");
        for (AuditIngestBenchmark.SameBatch b : report.sameBatch()) {
            md.append("| ").append(n(b.batchSize())).append(" | ")
                    .append(String.join(", ", b.raw().stream().map(r -> n(r.eventsPerSecond())).toList())).append(" | ")
                    .append(String.join(", ", b.writer().stream().map(r -> n(r.eventsPerSecond())).toList())).append(" |\n");
        }
        md.append('\n');
        md.append("Where the writer's own time goes, per event, each step timed alone over the same bodies (CPU time of the "
                + "benchmark's thread, median of 5 passes, µs; CPU time, so waiting for a CPU does not count). *Contract check + row* is `ContractFastPath.read`, which took every generated event; "
                + "*schema path* is what each event cost before it (parse to a tree, JSON Schema, `fromEvent`) and what an "
                + "event the fast path does not accept still costs:\n\n");
        md.append("| Batch size | SQS event read | Contract check + row | Statement + parameters | **Writer's own sum** | Raw JDBC's whole time per event | Schema path, for comparison |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AuditIngestBenchmark.SameBatch b : report.sameBatch()) {
            AuditIngestBenchmark.Breakdown d = b.breakdown();
            md.append("| ").append(n(b.batchSize())).append(" | ").append(us(d.envelopeMicros())).append(" | ")
                    .append(us(d.fastPathMicros())).append(" | ").append(us(d.bindMicros())).append(" | **")
                    .append(us(d.totalMicros())).append("** | ").append(us(1e6 / b.medianRaw().eventsPerSecond())).append(" | ")
                    .append(us(d.schemaPathMicros())).append(" |\n");
        }
        md.append('\n');
        cpuTable(md, report);
        pipelineSection(md, report);
        md.append(IngestFindings.text(report));
    }

    private static void pipelineSection(StringBuilder md, PerformanceReport report) {
        if (report.pipelines().isEmpty()) {
            if (report.pipelineMissing() != null) {
                md.append("The pipeline was not measured: ").append(report.pipelineMissing()).append(".\n\n");
            }
            return;
        }
        AuditIngestBenchmark.PipelineResult first = report.pipelines().getFirst();
        md.append("### 1.1 The local pipeline, as information\n\n");
        md.append("The local stack's real path, not a target: `SendMessageBatch` (10 per request, one sender thread) to the "
                        + "ElasticMQ audit queue; the local SQS event source mapping (`SqsEventSourceMapping`) with batch size ")
                .append(n(first.batchSize())).append(" and a batching window of ").append(first.batchingWindow().toMillis())
                .append(" ms (`LOCAL_AUDIT_BATCH_SIZE`, `LOCAL_AUDIT_BATCHING_WINDOW_MS`: it gathers receives of 10 until "
                        + "the batch is full or the window has passed), 20 s long polls, deletes after the partial batch "
                        + "response; the audit-writer function in a child JVM (`FunctionProcess`: Lambda's JVM flags "
                        + "`-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`, 1024 MB, `FunctionInvoker` → `writeAuditEvents`), "
                        + "connected as `pipedesk_audit_writer`. Timed from the first message sent to the last row visible "
                        + "(the id sequence polled every 10 ms, then `count(*)`). *Consumers alone*: the queue pre-loaded, "
                        + "timed from the pollers' start; *end to end*: sent while the pollers run. Concurrency *c* = *c* "
                        + "pollers, each feeding its own instance.\n\n");
        Optional<AuditIngestBenchmark.SameBatch> raw = atBatchSize(report, first.batchSize());
        md.append("| Variant | Events | Elapsed | Events/s |").append(raw.isPresent() ? " vs raw JDBC at the same batch size |" : "")
                .append("\n|---|---:|---:|---:|").append(raw.isPresent() ? "---:|" : "").append('\n');
        for (AuditIngestBenchmark.PipelineResult p : report.pipelines()) {
            Optional<AuditIngestBenchmark.SameBatch> same = atBatchSize(report, p.batchSize());
            String name = "pipeline, concurrency " + p.concurrency();
            md.append("| ").append(name).append(", end to end | ").append(n(p.events())).append(" | ")
                    .append(s(p.endToEnd().nanos())).append(" s | ").append(n(p.eventsPerSecond())).append(" |")
                    .append(same.map(b -> " " + percent(p.eventsPerSecond() / b.medianRaw().eventsPerSecond()) + " |").orElse(""))
                    .append('\n');
            md.append("| ").append(name).append(", consumers alone (pre-loaded queue) | ").append(n(p.events())).append(" | ")
                    .append(s(p.drain().nanos())).append(" s | ").append(n(p.drainEventsPerSecond())).append(" |")
                    .append(same.map(b -> " " + percent(p.drainEventsPerSecond() / b.medianRaw().eventsPerSecond()) + " |").orElse(""))
                    .append('\n');
        }
        md.append('\n');
        md.append("Where a pipeline run's time goes. A poller's cycle is ReceiveMessage (several, while it gathers a batch) → "
                + "invoke → DeleteMessageBatch (10 per request); *invoke* is the poller's view (HTTP to the instance, the "
                + "Lambda runtime shim, `FunctionInvoker`, the handler), *handler* is the instance's own `REPORT` duration, "
                + "*rest* is the cycle minus invoke (the SQS calls, the batching window, the poller, waiting for a CPU):\n\n");
        md.append("| Concurrency | Phase | Invocations | Mean batch | Mean cycle | Invoke p50 / p95 / mean | Handler p50 / mean | Rest of the cycle |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (AuditIngestBenchmark.PipelineResult p : report.pipelines()) {
            phaseLine(md, p, "end to end", p.endToEnd());
            phaseLine(md, p, "pre-loaded queue", p.drain());
        }
        md.append('\n');
        md.append("The sender (one thread, `SendMessageBatch` of 10): ");
        md.append(String.join("; ", report.pipelines().stream().map(p -> n(p.preloadEventsPerSecond())
                + " events/s with nothing consuming and " + n(p.sendEventsPerSecond()) + " events/s while "
                + p.concurrency() + " poller(s) consume").toList()));
        md.append(".\n\n");
    }

    /** CPU milliseconds per 1,000 events, by part, for every ingest variant measured. */
    private static void cpuTable(StringBuilder md, PerformanceReport report) {
        List<String> parts = List.of(CpuAccounting.WRITERS, CpuAccounting.POSTGRES, CpuAccounting.ELASTICMQ,
                CpuAccounting.POLLERS, CpuAccounting.SENDER, CpuAccounting.REST);
        md.append("CPU time per 1,000 events (ms), from the kernel's per-process accounting and the JVM's per-thread "
                + "CPU time (median runs; the pipeline's rows are in section 1.1's terms); *busy* is CPU time over wall time × ")
                .append(report.machine().cpus()).append(" CPUs:\n\n");
        md.append("| Variant | Busy | **Total** | ").append(String.join(" | ", parts)).append(" |\n|---|---:|---:|");
        md.append("---:|".repeat(parts.size())).append('\n');
        for (AuditIngestBenchmark.SameBatch b : report.sameBatch()) {
            cpuLine(md, report, "raw JDBC, batch " + n(b.batchSize()), b.medianRaw().events(), b.medianRaw().nanos(),
                    b.medianRaw().cpu(), parts);
            cpuLine(md, report, "audit-writer in-process, batch " + n(b.batchSize()), b.medianWriter().events(),
                    b.medianWriter().nanos(), b.medianWriter().cpu(), parts);
        }
        for (AuditIngestBenchmark.PipelineResult p : report.pipelines()) {
            cpuLine(md, report, "pipeline x" + p.concurrency() + ", end to end", p.events(), p.endToEnd().nanos(),
                    p.endToEnd().cpu(), parts);
            cpuLine(md, report, "pipeline x" + p.concurrency() + ", pre-loaded queue", p.events(), p.drain().nanos(),
                    p.drain().cpu(), parts);
        }
        md.append('\n');
    }

    private static void cpuLine(StringBuilder md, PerformanceReport report, String name, int events, long wallNanos,
                                CpuAccounting.Snapshot cpu, List<String> parts) {
        double perThousand = 1_000.0 / events / 1e6;
        md.append("| ").append(name).append(" | ").append(percent(cpu.total() / (double) wallNanos / report.machine().cpus()))
                .append(" | **").append(n(cpu.total() * perThousand)).append("** |");
        for (String part : parts) {
            long value = cpu.nanos().getOrDefault(part, 0L);
            md.append(' ').append(value == 0 ? "–" : n(value * perThousand)).append(" |");
        }
        md.append('\n');
    }

    private static void phaseLine(StringBuilder md, AuditIngestBenchmark.PipelineResult p, String name,
                                  AuditIngestBenchmark.Phase phase) {
        double cycle = phase.meanCycleMillis(p.concurrency());
        md.append("| ").append(p.concurrency()).append(" | ").append(name).append(" | ").append(n(phase.batches()))
                .append(" | ").append(String.format(Locale.ROOT, "%.1f", phase.meanBatchSize(p.events()))).append(" | ")
                .append(ms(cycle)).append(" ms | ").append(ms(phase.invocations().p50())).append(" / ")
                .append(ms(phase.invocations().p95())).append(" / ").append(ms(phase.invocations().meanMillis()))
                .append(" ms | ").append(ms(phase.handler().p50())).append(" / ").append(ms(phase.handler().meanMillis()))
                .append(" ms | ").append(ms(cycle - phase.invocations().meanMillis())).append(" ms |\n");
    }

    static String us(double micros) {
        return String.format(Locale.ROOT, "%.1f", micros);
    }
}
