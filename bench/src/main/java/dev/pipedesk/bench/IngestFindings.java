package dev.pipedesk.bench;

import static dev.pipedesk.bench.PerformanceReport.n;
import static dev.pipedesk.bench.PerformanceReport.percent;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ingest section's reading of the numbers. Every figure in it is computed from the run; the
 * reasoning around them is what the tables above show on this kind of machine (one host, every
 * component sharing its CPUs).
 */
final class IngestFindings {
    private IngestFindings() {
    }

    static String text(PerformanceReport report) {
        List<AuditIngestBenchmark.SameBatch> sameBatch = report.sameBatch();
        if (sameBatch.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("### Reading\n\n");
        boolean allMet = sameBatch.stream().allMatch(b -> b.ratio() >= PerformanceReport.INGEST_TARGET);
        md.append("**Verdict: ").append(allMet ? "met" : "missed").append(" at ")
                .append(allMet ? "every batch size" : String.join(", ", sameBatch.stream()
                        .filter(b -> b.ratio() < PerformanceReport.INGEST_TARGET).map(b -> "batch " + n(b.batchSize())).toList()))
                .append(".** Writer / raw JDBC: ")
                .append(String.join(", ", sameBatch.stream().map(b -> String.format(Locale.ROOT, "%.3f×", b.ratio())
                        + " at " + n(b.batchSize())).toList()))
                .append(" (target ").append(String.format(Locale.ROOT, "%.1f×", PerformanceReport.INGEST_TARGET)).append("). ");
        double low = sameBatch.stream().mapToDouble(b -> b.roundRatioRange()[0]).min().orElse(0);
        double high = sameBatch.stream().mapToDouble(b -> b.roundRatioRange()[1]).max().orElse(0);
        md.append("Round by round the ratio ranged over ").append(String.format(Locale.ROOT, "%.2f–%.2f×", low, high))
                .append(" (column *per round*), and the share of the CPUs a run got (*busy* below) varied as much: with the "
                        + "machine's load average at ").append(report.machine().loadAtStart()).append(" on ")
                .append(report.machine().cpus()).append(" CPUs, the events/s ratio here says more about the CPU each run "
                        + "was given than about the writer; the CPU per event and the writer's own steps below are the "
                        + "steadier reading.\n\n");

        md.append("1. **What the writer adds per event, and the ratio it allows.** The database's work per row is the "
                + "same on both sides (same statement, same rows, same pool), so the writer's own steps per event (table "
                + "above) decide the ratio: with raw JDBC at *r* µs per event and the writer's own work at *w* µs, one "
                + "batch after the other, the ratio can be at best *r* / (*r* + *w*). ");
        for (AuditIngestBenchmark.SameBatch b : sameBatch) {
            double rawMicros = 1e6 / b.medianRaw().eventsPerSecond();
            double own = b.breakdown().totalMicros();
            md.append("At ").append(n(b.batchSize())).append(": *r* = ").append(IngestSection.us(rawMicros)).append(", *w* = ")
                    .append(IngestSection.us(own)).append(" (largest: ").append(largest(b.breakdown())).append("), so about ")
                    .append(String.format(Locale.ROOT, "%.2f×", rawMicros / (rawMicros + own))).append(" expected, ")
                    .append(String.format(Locale.ROOT, "%.2f×", b.ratio())).append(" measured. ");
        }
        md.append("In CPU per event, which waiting for a CPU does not distort, raw / writer is ")
                .append(String.join(", ", sameBatch.stream().map(b -> String.format(Locale.ROOT, "%.2f×", b.cpuRatio())
                        + " at " + n(b.batchSize())).toList()))
                .append(" (PostgreSQL's share is the same on both sides; the rest is the writer's work). ");
        md.append("Before the fast path every event took the schema path (last column), ")
                .append(String.join(", ", sameBatch.stream().map(b -> String.format(Locale.ROOT, "%.1f×",
                        b.breakdown().schemaPathMicros() / b.breakdown().fastPathMicros()) + " the fast path's cost at "
                        + n(b.batchSize())).toList()))
                .append(". Small batches pay the round trip, the commit and the SQS event's fixed part per batch on both "
                        + "sides, and on a loaded machine each batch also waits for a CPU, so their ratios spread most.\n");

        AuditIngestBenchmark.SameBatch largest = sameBatch.getLast();
        double postgres = largest.medianRaw().cpu().nanos().getOrDefault(CpuAccounting.POSTGRES, 0L) / 1e3
                / largest.medianRaw().events();
        md.append("2. **Two CPUs, and the writer's work is not on PostgreSQL's.** At batch ").append(n(largest.batchSize()))
                .append(" PostgreSQL spends ").append(IngestSection.us(postgres)).append(" µs of CPU per row; the writer's "
                        + "parsing and validation run in its own process before the statement is sent, so on this machine "
                        + "they add to the wall time one for one (one batch after the other, as one Lambda instance "
                        + "handles them).\n");

        if (!report.pipelines().isEmpty()) {
            AuditIngestBenchmark.PipelineResult best = report.pipelines().stream()
                    .max(Comparator.comparingDouble(AuditIngestBenchmark.PipelineResult::eventsPerSecond)).orElseThrow();
            Optional<AuditIngestBenchmark.SameBatch> same = IngestSection.atBatchSize(report, best.batchSize());
            md.append("3. **The pipeline, as information.** With batches of ").append(n(best.batchSize())).append(" (window ")
                    .append(best.batchingWindow().toMillis()).append(" ms) it reaches ").append(n(best.eventsPerSecond()))
                    .append(" events/s end to end at concurrency ").append(best.concurrency())
                    .append(same.map(b -> " (" + percent(best.eventsPerSecond() / b.medianRaw().eventsPerSecond())
                            + " of raw JDBC at that batch size)").orElse(""))
                    .append(" and ").append(n(best.drainEventsPerSecond())).append(" events/s from a pre-loaded queue. "
                            + "It shares the same two CPUs with ElasticMQ, the pollers, the sender and the function host; "
                            + "its mean batch was ").append(String.format(Locale.ROOT, "%.0f", best.drain().meanBatchSize(best.events())))
                    .append(" events on the pre-loaded queue and ")
                    .append(String.format(Locale.ROOT, "%.0f", best.endToEnd().meanBatchSize(best.events())))
                    .append(" end to end, where the one sender thread (").append(n(best.sendEventsPerSecond()))
                    .append(" events/s) paces the batches. In AWS the queue and the pollers are not on the database's "
                            + "machine.\n");
        }
        md.append("\nNote the embedded PostgreSQL runs with `fsync=off` and `synchronous_commit=off` (as the local stack "
                + "does): commits are nearly free here, which makes the database's share per event smaller, and the ratio "
                + "harder, than on a durable database.\n\n");
        return md.toString();
    }

    private static String largest(AuditIngestBenchmark.Breakdown d) {
        record Step(String name, double micros) {
        }
        return List.of(new Step("SQS event read", d.envelopeMicros()), new Step("contract check + row", d.fastPathMicros()),
                        new Step("statement + parameters", d.bindMicros())).stream()
                .max(Comparator.comparingDouble(Step::micros))
                .map(step -> step.name() + " " + IngestSection.us(step.micros()) + " µs").orElseThrow();
    }
}
