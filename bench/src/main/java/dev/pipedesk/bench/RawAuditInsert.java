package dev.pipedesk.bench;

import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.NewAuditLogEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The baseline: the rows the audit-writer stores, pre-serialised (every value ready to bind, JSON
 * already text), inserted with the writer's own statement — one multi-row
 * {@code INSERT … ON CONFLICT (event_id) DO NOTHING} per batch ({@link NewAuditLogEntry#insertSql}),
 * at most {@link AuditLogRepository#ROWS_PER_STATEMENT} rows each — in autocommit, on a connection
 * taken from the same kind of pool for each batch. Plain JDBC: no validation, no parsing, no
 * function shell.
 */
final class RawAuditInsert {
    private RawAuditInsert() {
    }

    /** The rows of these (valid) bodies, as the writer builds them; done before any timing. */
    static List<NewAuditLogEntry> rows(List<String> bodies) {
        AuditEventValidator validator = AuditEventValidator.load();
        List<NewAuditLogEntry> rows = new ArrayList<>(bodies.size());
        for (String body : bodies) {
            if (!(validator.check(body) instanceof AuditEventValidator.Checked.Valid valid)) {
                throw new IllegalStateException("a generated event breaks the contract");
            }
            rows.add(NewAuditLogEntry.fromEvent(valid.event()));
        }
        return rows;
    }

    /** Inserts the rows in batches of {@code batchSize}; returns the rows written. */
    static long insert(DataSource pool, List<NewAuditLogEntry> rows, int batchSize) throws SQLException {
        long written = 0;
        for (int from = 0; from < rows.size(); from += batchSize) {
            written += insertBatch(pool, rows.subList(from, Math.min(from + batchSize, rows.size())));
        }
        return written;
    }

    private static int insertBatch(DataSource pool, List<NewAuditLogEntry> batch) throws SQLException {
        int written = 0;
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(true);
            for (int from = 0; from < batch.size(); from += AuditLogRepository.ROWS_PER_STATEMENT) {
                List<NewAuditLogEntry> rows = batch.subList(from, Math.min(from + AuditLogRepository.ROWS_PER_STATEMENT, batch.size()));
                List<Object> values = new ArrayList<>(rows.size() * NewAuditLogEntry.COLUMN_COUNT);
                rows.forEach(row -> row.addValuesTo(values));
                try (PreparedStatement insert = connection.prepareStatement(NewAuditLogEntry.insertSql(rows.size()))) {
                    for (int i = 0; i < values.size(); i++) {
                        insert.setObject(i + 1, values.get(i));
                    }
                    written += insert.executeUpdate();
                }
            }
        }
        return written;
    }
}
