package dev.pipedesk.auditwriter;

import java.util.List;

/**
 * What became of one batch.
 *
 * @param written          events newly stored in the audit log
 * @param duplicates       valid events whose event_id was already stored (acknowledged, not stored again)
 * @param rejected         events refused for good: outside the contract, or data the database refuses
 * @param failedMessageIds messages to report as batch item failures: invalid ones (they reach the
 *                         DLQ after the queue's receive limit) and, when the database failed, all
 *                         valid ones (retried)
 */
public record WriteReport(int written, int duplicates, int rejected, List<String> failedMessageIds) {
    public WriteReport {
        failedMessageIds = List.copyOf(failedMessageIds);
    }
}
