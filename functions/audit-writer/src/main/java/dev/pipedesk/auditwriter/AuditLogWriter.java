package dev.pipedesk.auditwriter;

import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.lambda.QueueBatchHandler;
import dev.pipedesk.lambda.QueuedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Stores a batch of audit events from the queue in {@code audit_logs} (the audit-writer's
 * service, behind {@code SqsBatchShell}).
 * <ul>
 *   <li>Each message is validated against the contract; an invalid one is reported failed (never
 *       dropped, never acknowledged) and logged with its message id and the reason, not its
 *       content. After the queue's receive limit it is in the dead-letter queue.</li>
 *   <li>All valid ones go in ONE multi-row {@code INSERT … ON CONFLICT (event_id) DO NOTHING}: a
 *       repeat of a stored event is acknowledged and not stored again.</li>
 *   <li>When the database fails, every valid message of the batch is reported failed (retried).
 *       When it refuses the data of some row (a data or constraint error), the rows are inserted
 *       one by one, so only the refused ones fail.</li>
 * </ul>
 * Needs only the INSERT privilege on {@code audit_logs} (role {@code pipedesk_audit_writer}).
 */
public final class AuditLogWriter implements QueueBatchHandler {
    private static final Logger LOG = Logger.getLogger(AuditLogWriter.class.getName());
    private static final int MAX_REASON_LENGTH = 500;

    private final DataSource dataSource;
    private final AuditEventValidator validator;

    public AuditLogWriter(DataSource dataSource, AuditEventValidator validator) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    public WriteReport write(List<QueuedMessage> messages) {
        List<String> failed = new ArrayList<>();
        List<AuditLogRow> rows = new ArrayList<>();
        for (QueuedMessage message : messages) {
            AuditLogRow row = validRow(message);
            if (row == null) {
                failed.add(message.messageId());
            } else {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return new WriteReport(0, 0, failed);
        }
        int written;
        try (Connection connection = dataSource.getConnection()) {
            try {
                written = insert(connection, rows);
            } catch (SQLException e) {
                if (!refusedData(e)) {
                    throw e;
                }
                LOG.warning(() -> "audit-writer: the database refused the batch (SQLState " + e.getSQLState()
                        + "); writing its " + rows.size() + " events one by one");
                written = insertOneByOne(connection, rows, failed);
            }
        } catch (SQLException e) {
            LOG.severe(() -> "audit-writer: database failure, all " + rows.size()
                    + " valid message(s) of the batch reported failed for retry: SQLState " + e.getSQLState()
                    + " " + e.getMessage());
            rows.forEach(row -> failed.add(row.messageId()));
            return new WriteReport(0, 0, failed);
        }
        int stored = rows.size() - failedAmong(rows, failed);
        return new WriteReport(written, stored - written, failed);
    }

    /** Writes the batch and logs what became of it; the failed messages are SQS's to redeliver. */
    @Override
    public List<String> handle(List<QueuedMessage> messages) {
        WriteReport report = write(messages);
        LOG.info(() -> "audit-writer batch: received=" + messages.size() + " written=" + report.written()
                + " duplicates=" + report.duplicates() + " failed=" + report.failedMessageIds().size());
        return report.failedMessageIds();
    }

    /** The message as a row, or null (logged) when it breaks the contract. */
    private AuditLogRow validRow(QueuedMessage message) {
        return switch (validator.check(message.body())) {
            case AuditEventValidator.Checked.Valid valid -> AuditLogRow.of(message.messageId(), valid.event());
            case AuditEventValidator.Checked.Invalid invalid -> {
                reject(message.messageId(), String.join("; ", invalid.violations()));
                yield null;
            }
        };
    }

    private static int insert(Connection connection, List<AuditLogRow> rows) throws SQLException {
        String sql = "insert into audit_logs (" + AuditLogRow.COLUMNS + ") values "
                + String.join(", ", Collections.nCopies(rows.size(), AuditLogRow.PLACEHOLDERS))
                + " on conflict (event_id) do nothing";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i++) {
                rows.get(i).bind(insert, 1 + i * AuditLogRow.PARAMETERS);
            }
            return insert.executeUpdate();
        }
    }

    /** Isolates the rows the database refuses; throws when the database itself fails. */
    private static int insertOneByOne(Connection connection, List<AuditLogRow> rows, List<String> failed)
            throws SQLException {
        int written = 0;
        for (AuditLogRow row : rows) {
            try {
                written += insert(connection, List.of(row));
            } catch (SQLException e) {
                if (!refusedData(e)) {
                    throw e;
                }
                reject(row.messageId(), "the database refused it: SQLState " + e.getSQLState());
                failed.add(row.messageId());
            }
        }
        return written;
    }

    /** Data exceptions (22), integrity violations (23), program limits (54): the row's fault. */
    private static boolean refusedData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    private static int failedAmong(List<AuditLogRow> rows, List<String> failed) {
        return (int) rows.stream().filter(row -> failed.contains(row.messageId())).count();
    }

    private static void reject(String messageId, String reason) {
        String shortReason = reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
        LOG.warning(() -> "audit-writer rejected messageId=" + messageId + " reason=" + shortReason);
    }
}
