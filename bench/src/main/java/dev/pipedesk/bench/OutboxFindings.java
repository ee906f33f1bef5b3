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
        double all = PerformanceReport.overheadWithPublish(outbox, 95);
        double send = outbox.publishSend().p95();
        StringBuilder md = new StringBuilder("### Reading\n\n");
        md.append("- **The outbox in the write transaction: ").append(db < target ? "meets" : "misses").append(" the target.** ")
                .append("Building the event, validating it against the contract and inserting it into `audit_outbox` adds ")
                .append(ms(PerformanceReport.overhead(outbox, 50))).append(" ms at p50 and ").append(ms(db))
                .append(" ms at p95 (target < ").append(ms(target)).append(" ms). It is one more insert in a transaction "
                        + "that commits once either way.\n");
        md.append("- **The after-commit publish: ").append(all < target ? "within" : "outside").append(" the target.** ")
                .append("`AuditOutbox.publish` adds ").append(ms(outbox.publish().p50())).append(" ms at p50 and ")
                .append(ms(outbox.publish().p95())).append(" ms at p95 before the function answers; ")
                .append(ms(send)).append(" ms of that p95 is the `SendMessageBatch` round trip itself, the rest is the short "
                        + "transaction that locks the row and deletes it. Counted together, the caller waits ")
                .append(ms(all)).append(" ms longer at p95. It runs after the commit, so it never holds the change's "
                        + "locks, and a failure only leaves the row for the relay. ElasticMQ answers on the loopback here; "
                        + "real SQS is an HTTPS call to another service, so do not expect this part to shrink in AWS.\n");
        md.append("- To keep the whole overhead under ").append(ms(target)).append(" ms the publish has to leave the "
                + "request path: answer first and let the relay send (audit rows then arrive up to one relay period later), "
                + "or send without waiting and delete the outbox row afterwards. Both trade audit freshness, not "
                + "durability: the row is committed with the change either way.\n");
        md.append("- Percentile differences are not themselves percentiles (the p99 difference can be smaller than the "
                + "p95 one); the per-variant rows above are the measured distributions.\n\n");
        return md.toString();
    }
}
