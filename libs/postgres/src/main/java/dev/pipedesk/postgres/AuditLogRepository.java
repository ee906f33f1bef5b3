package dev.pipedesk.postgres;

import dev.pipedesk.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code audit_logs} (the read side; the audit-writer is the only writer). Every read
 * runs in one read-only, repeatable-read transaction, so a page and its total come from the
 * same snapshot, and a connection with more privileges than it should have still cannot write.
 */
public final class AuditLogRepository {
    private static final String COLUMNS = """
            id, event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
            occurred_at, recorded_at, changes, before, after, source, request_id""";

    private final DataSource dataSource;

    public AuditLogRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A page, newest first (occurred_at desc, id desc), and the total number of matches. */
    public AuditLogPage list(AuditLogQuery query) {
        Filter filter = filter(query);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                long total = count(c, filter);
                List<AuditLogEntry> rows = page(c, filter, query);
                c.commit();
                boolean hasMore = rows.size() > query.limit();
                return new AuditLogPage(hasMore ? rows.subList(0, query.limit()) : rows, total, hasMore);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not list audit log entries", e);
        }
    }

    /** The WHERE clause of the filters (not the position) and its parameters. */
    private record Filter(String where, List<Object> params) {
    }

    private static Filter filter(AuditLogQuery query) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (query.entityType() != null) {
            where.append(" and entity_type = ?");
            params.add(query.entityType());
        }
        if (query.entityId() != null) {
            where.append(" and entity_id = ?");
            params.add(query.entityId());
        }
        if (query.action() != null) {
            where.append(" and action = ?");
            params.add(query.action());
        }
        if (query.actorId() != null) {
            where.append(" and actor_id = ?");
            params.add(query.actorId());
        }
        if (query.occurredFrom() != null) {
            where.append(" and occurred_at >= ?");
            params.add(timestamp(query.occurredFrom()));
        }
        if (query.occurredBefore() != null) {
            where.append(" and occurred_at < ?");
            params.add(timestamp(query.occurredBefore()));
        }
        return new Filter(where.toString(), List.copyOf(params));
    }

    private static long count(Connection c, Filter filter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_logs" + filter.where())) {
            bind(ps, filter.params());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Up to limit + 1 rows: the extra one only tells whether another page follows. */
    private static List<AuditLogEntry> page(Connection c, Filter filter, AuditLogQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from audit_logs").append(filter.where());
        List<Object> params = new ArrayList<>(filter.params());
        if (query.after() != null) {
            sql.append(" and (occurred_at, id) < (?, ?)");
            params.add(timestamp(query.after().occurredAt()));
            params.add(query.after().id());
        }
        sql.append(" order by occurred_at desc, id desc limit ? offset ?");
        params.add(query.limit() + 1);
        params.add(query.offset());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<AuditLogEntry> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(map(rs));
                }
                return rows;
            }
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    /** Microsecond-exact, as PostgreSQL stores it (a keyset position must match its row exactly). */
    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static AuditLogEntry map(ResultSet rs) throws SQLException {
        return new AuditLogEntry(
                rs.getLong("id"),
                rs.getObject("event_id").toString(),
                rs.getInt("schema_version"),
                rs.getString("entity_type"),
                rs.getString("entity_id"),
                rs.getString("action"),
                rs.getString("actor_type"),
                rs.getString("actor_id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                json(rs, "changes"),
                json(rs, "before"),
                json(rs, "after"),
                rs.getString("source"),
                rs.getString("request_id"));
    }

    private static JsonNode json(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : Json.MAPPER.readTree(text);
    }
}
