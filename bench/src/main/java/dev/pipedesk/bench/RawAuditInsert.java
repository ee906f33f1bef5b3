package dev.pipedesk.bench;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The baseline: the same audit_logs rows the audit-writer produces, inserted with a plain JDBC
 * batch ({@code addBatch}/{@code executeBatch}, one commit per batch) on one connection. No
 * validation, no queue, no function: the rate the database itself sustains for these rows. Times
 * bind as {@code OffsetDateTime} with {@code setObject}, as in the repositories (never
 * {@code java.sql.Timestamp}, whose Julian calendar before 1582 shifts the day).
 */
final class RawAuditInsert {
    private static final String INSERT = """
            insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                    occurred_at, before, after, changes, source, request_id, ip, user_agent)
            values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)""";

    /** One audit_logs row, every value ready to bind (JSON already written). */
    record Row(String eventId, int schemaVersion, String entityType, String entityId, String action, String actorType,
               String actorId, OffsetDateTime occurredAt, String before, String after, String changes, String source,
               String requestId, String ip, String userAgent) {

        static Row of(AuditEvent event) {
            return new Row(event.eventId(), event.schemaVersion(), event.entityType(), event.entityId(), event.action(),
                    event.actor().type().name().toLowerCase(), event.actor().id(),
                    OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC),
                    json(event.before()), json(event.after()), event.changes() == null ? null : Json.write(event.changes()),
                    event.source(), event.requestId(), event.ip(), event.userAgent());
        }

        private static String json(Object value) {
            return value == null ? null : Json.write(value);
        }
    }

    private RawAuditInsert() {
    }

    static List<Row> rows(List<AuditEvent> events) {
        return events.stream().map(Row::of).toList();
    }

    /** Inserts the rows in batches of {@code batchSize}, committing after each batch. */
    static void insert(Connection connection, List<Row> rows, int batchSize) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int pending = 0;
            for (Row row : rows) {
                bind(insert, row);
                insert.addBatch();
                if (++pending == batchSize) {
                    insert.executeBatch();
                    connection.commit();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void bind(PreparedStatement insert, Row row) throws SQLException {
        int i = 1;
        insert.setString(i++, row.eventId());
        insert.setInt(i++, row.schemaVersion());
        insert.setString(i++, row.entityType());
        insert.setString(i++, row.entityId());
        insert.setString(i++, row.action());
        insert.setString(i++, row.actorType());
        insert.setString(i++, row.actorId());
        insert.setObject(i++, row.occurredAt());
        insert.setString(i++, row.before());
        insert.setString(i++, row.after());
        insert.setString(i++, row.changes());
        insert.setString(i++, row.source());
        insert.setString(i++, row.requestId());
        insert.setString(i++, row.ip());
        insert.setString(i, row.userAgent());
    }
}
