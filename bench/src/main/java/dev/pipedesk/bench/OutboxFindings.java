package dev.pipedesk.bench;

import static dev.pipedesk.bench.PerformanceReport.ms;

/** The outbox section's reading of the numbers (every figure computed from the run). */
final class OutboxFindings {
    private OutboxFindings() {
    }

    static String text(PerformanceReport report) {
        OutboxOverheadBenchmark.Result outbox = report.outbox();
        if (outbox == null) {
            return "";
        }
        double target = PerformanceReport.OUTBOX_TARGET_MS;
        double db = PerformanceReport.overhead(outbox, 95);
        double all = PerformanceReport.overheadCallerWaits(outbox, 95);
        double send = outbox.publishSend().p95();
        StringBuilder md = new StringBuilder("### Reading\n\n");
        md.append("- **The outbox in the write transaction: ").append(db < target ? "meets" : "misses").append(" the target.** ")
                .append("Building the event, validating it against the contract and inserting it into `audit_outbox` adds ")
                .append(ms(PerformanceReport.overhead(outbox, 50))).append(" ms at p50 and ").append(ms(db))
                .append(" ms at p95 (target < ").append(ms(target)).append(" ms). It is one more insert in a transaction "
                        + "that commits once either way.\n");
        md.append("- **All the caller waits for: ").append(all < target ? "meets" : "misses").append(" the target.** ")
                .append("The hand-off to the background publisher takes ").append(ms(outbox.handoff().p50()))
                .append(" ms at p50 and ").append(ms(outbox.handoff().p95())).append(" ms at p95; with the append, the "
                        + "caller waits ").append(ms(PerformanceReport.overheadCallerWaits(outbox, 50))).append(" ms longer at p50 and ")
                .append(ms(all)).append(" ms at p95.\n");
        md.append("- **The publish itself stays off the request path.** From the commit until the event is on the queue "
                        + "and its outbox row deleted takes ").append(ms(outbox.publish().p50())).append(" ms at p50 and ")
                .append(ms(outbox.publish().p95())).append(" ms at p95, ").append(ms(send)).append(" ms of that p95 in the "
                        + "`SendMessageBatch` round trip. A caller waiting for it (as the first version did) would pay that "
                        + "on top: over the target on its own here, and real SQS is an HTTPS call to another service. "
                        + "In Lambda the container may be frozen right after the answer; the publish then resumes at the "
                        + "container's next invocation, and the scheduled relay sends whatever is still left. The trade is "
                        + "audit freshness, not durability: the row is committed with the change either way.\n");
        md.append("- Percentile differences are not themselves percentiles (the p99 difference can be smaller than the "
                + "p95 one); the per-variant rows above are the measured distributions.\n\n");
        return md.toString();
    }
}
