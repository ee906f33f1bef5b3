package dev.pipedesk.auditwriter;

import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.core.metrics.Metrics;
import dev.pipedesk.core.metrics.OperatorMetric;
import dev.pipedesk.lambda.QueueBatchHandler;
import dev.pipedesk.lambda.QueuedMessage;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.NewAuditLogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores a batch of audit events from the queue in {@code audit_logs} (the audit-writer's
 * service, behind {@code SqsBatchShell}).
 * <ul>
 *   <li>Each message is validated against the contract: first by {@link ContractFastPath}, one streaming
 *       pass that accepts only what certainly keeps it, then, for anything it does not accept, by the
 *       contract's JSON Schema ({@link AuditEventValidator}, the authority). An invalid one is reported failed (never
 *       dropped, never acknowledged) and logged with its message id and the reason, not its
 *       content. After the queue's receive limit it is in the dead-letter queue.</li>
 *   <li>All valid ones are appended at once ({@link AuditLogRepository#append}: one multi-row
 *       insert that skips event ids already stored): a repeat of a stored event is acknowledged
 *       and not stored again.</li>
 *   <li>When the database fails, every valid message of the batch is reported failed (retried).
 *       When it refuses the data of some events, only those fail.</li>
 * </ul>
 * Needs only the INSERT privilege on {@code audit_logs} (role {@code pipedesk_audit_writer}).
 * Each batch counts {@link OperatorMetric#AUDIT_EVENTS_WRITTEN} (new rows) and
 * {@link OperatorMetric#AUDIT_EVENTS_REJECTED} (invalid or refused by the database; not the ones
 * retried because the database failed).
 */
public final class AuditLogWriter implements QueueBatchHandler {
    private static final Logger LOG = Logger.getLogger(AuditLogWriter.class.getName());
    private static final int MAX_REASON_LENGTH = 500;

    private final AuditLogRepository auditLogs;
    private final AuditEventValidator validator;
    private final Metrics metrics;

    public AuditLogWriter(AuditLogRepository auditLogs, AuditEventValidator validator) {
        this(auditLogs, validator, Metrics.NONE);
    }

    /** @param metrics where each batch's written and rejected events are counted */
    public AuditLogWriter(AuditLogRepository auditLogs, AuditEventValidator validator, Metrics metrics) {
        this.auditLogs = Objects.requireNonNull(auditLogs, "auditLogs");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public WriteReport write(List<QueuedMessage> messages) {
        List<String> failed = new ArrayList<>();
        List<ValidMessage> valid = new ArrayList<>();
        int rejected = 0;
        for (QueuedMessage message : messages) {
            Optional<NewAuditLogEntry> certain = ContractFastPath.read(message.body());
            if (certain.isPresent()) {
                valid.add(new ValidMessage(message.messageId(), certain.get()));
                continue;
            }
            switch (validator.check(message.body())) {
                case AuditEventValidator.Checked.Valid event ->
                        valid.add(new ValidMessage(message.messageId(), NewAuditLogEntry.fromEvent(event.event())));
                case AuditEventValidator.Checked.Invalid invalid -> {
                    reject(message.messageId(), String.join("; ", invalid.violations()));
                    failed.add(message.messageId());
                    rejected++;
                }
            }
        }
        if (valid.isEmpty()) {
            return new WriteReport(0, 0, rejected, failed);
        }
        AuditLogRepository.Appended appended;
        try {
            appended = auditLogs.append(valid.stream().map(ValidMessage::entry).toList());
        } catch (DatabaseException e) {
            LOG.severe(() -> "audit-writer: database failure, all " + valid.size()
                    + " valid message(s) of the batch reported failed for retry: SQLState " + e.sqlState()
                    + " " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            valid.forEach(message -> failed.add(message.messageId()));
            return new WriteReport(0, 0, rejected, failed);
        }
        int stored = 0;
        for (ValidMessage message : valid) {
            Optional<String> refusal = appended.refusalOf(message.entry());
            if (refusal.isPresent()) {
                reject(message.messageId(), "the database refused it: SQLState " + refusal.get());
                failed.add(message.messageId());
                rejected++;
            } else {
                stored++;
            }
        }
        return new WriteReport(appended.written(), stored - appended.written(), rejected, failed);
    }

    /**
     * SnapStart priming (docs/architecture.md, "SnapStart"): each message through both validations
     * a write uses — the fast path and the JSON Schema — into the entry it would become, and
     * nothing stored. Priming messages are valid; one that is not fails the priming step.
     *
     * @return no failed message id
     * @throws IllegalStateException when a message is not a valid audit event
     */
    public List<String> primeWithoutWriting(List<QueuedMessage> messages) {
        for (QueuedMessage message : messages) {
            boolean certain = ContractFastPath.read(message.body()).isPresent();
            if (!(validator.check(message.body()) instanceof AuditEventValidator.Checked.Valid event) || !certain) {
                throw new IllegalStateException("The priming message " + message.messageId() + " is not a valid audit event");
            }
            NewAuditLogEntry.fromEvent(event.event());
        }
        return List.of();
    }

    /**
     * Writes the batch and logs what became of it — at INFO when some message failed or was a duplicate, at FINE
     * (off by default) when every message was written: one line per ordinary batch would cost about as much CPU as
     * reading the batch. The failed messages are SQS's to redeliver.
     */
    @Override
    public List<String> handle(List<QueuedMessage> messages) {
        WriteReport report = write(messages);
        metrics.count(OperatorMetric.AUDIT_EVENTS_WRITTEN, report.written());
        metrics.count(OperatorMetric.AUDIT_EVENTS_REJECTED, report.rejected());
        Level level = report.failedMessageIds().isEmpty() && report.duplicates() == 0 ? Level.FINE : Level.INFO;
        LOG.log(level, () -> "audit-writer batch: received=" + messages.size() + " written=" + report.written()
                + " duplicates=" + report.duplicates() + " failed=" + report.failedMessageIds().size());
        return report.failedMessageIds();
    }

    private static void reject(String messageId, String reason) {
        String shortReason = reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
        LOG.warning(() -> "audit-writer rejected messageId=" + messageId + " reason=" + shortReason);
    }

    /** A message that passed validation, as the entry it becomes. */
    private record ValidMessage(String messageId, NewAuditLogEntry entry) {
    }
}
