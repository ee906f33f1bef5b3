package dev.pipedesk.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The other design, measured on the same database: Twenty CRM's materialized timeline
 * ({@code timelineActivity}), one row per event written at write time, so a page is one index
 * range scan. Bench-only: {@code bench_timeline_entries} is built from the generated rows (an
 * entity's own audit entries, the audit entries of its linked meetings and e-mails, its e-mails
 * not unlinked, its meetings not cancelled), indexed on
 * {@code (entity_type, entity_id, ts desc, rank, id desc)}, and a page reads that range and
 * fetches the page's rows from their tables by primary key.
 */
public final class MaterializedTimeline {
    static final String TABLE = "bench_timeline_entries";
    /** Ranks as the timeline's tie-break: audit, e-mail, meeting. */
    static final int AUDIT = 0;
    static final int EMAIL = 1;
    static final int MEETING = 2;

    private MaterializedTimeline() {
    }

    /** What building it took (0 seconds when it was already there) and its size. */
    public record Built(long rows, double seconds, long bytes) {
    }

    /** Builds the table once on the stored database (it stays with it). */
    static Built ensure(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean exists;
            try (ResultSet rs = statement.executeQuery("select to_regclass('" + TABLE + "') is not null")) {
                rs.next();
                exists = rs.getBoolean(1);
            }
            double seconds = 0;
            if (!exists) {
                long started = System.nanoTime();
                connection.setAutoCommit(false); // all or nothing: a half-built table would be taken as built
                statement.execute("""
                        create table bench_timeline_entries (
                            entity_type text not null, entity_id text not null, ts timestamptz not null, rank smallint not null,
                            id text not null, audit_id bigint, email_id uuid, meeting_id uuid)""");
                statement.execute("""
                        insert into bench_timeline_entries
                        select entity_type, entity_id, occurred_at, 0, lpad(id::text, 20, '0'), id, null::uuid, null::uuid
                          from audit_logs where entity_type in ('lead', 'deal', 'contact')
                        union all
                        select coalesce(after, before) ->> 'entity_type', coalesce(after, before) ->> 'entity_id', occurred_at, 0,
                               lpad(id::text, 20, '0'), id, null::uuid, null::uuid
                          from audit_logs
                         where entity_type in ('calendar_event', 'email') and coalesce(after, before) ->> 'entity_id' is not null
                        union all
                        select entity_type, entity_id, sent_at, 1, id::text, null::bigint, id, null::uuid
                          from crm_emails where unlinked_at is null
                        union all
                        select entity_type, entity_id, start_time, 2, id::text, null::bigint, null::uuid, id
                          from calendar_events where status <> 'cancelled' and entity_id is not null""");
                statement.execute("create index bench_timeline_entries_page on bench_timeline_entries "
                        + "(entity_type, entity_id, ts desc, rank, id desc)");
                connection.commit();
                connection.setAutoCommit(true);
                statement.execute("vacuum (analyze) bench_timeline_entries");
                seconds = (System.nanoTime() - started) / 1e9;
            }
            try (ResultSet rs = statement.executeQuery("select count(*), pg_total_relation_size('" + TABLE + "') from " + TABLE)) {
                rs.next();
                return new Built(rs.getLong(1), seconds, rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Building " + TABLE + " failed", e);
        }
    }

    /** Where a page continues: the last row's (ts, rank, id). */
    public record Position(Instant ts, int rank, String id) {
    }

    /**
     * The page statement: the range of the entity's rows in timeline order (keyset after
     * {@code after}), limited, then the page's rows from their tables by primary key.
     *
     * @param rank  only this source (a type filter), or null
     * @param since inclusive lower bound, or null; {@code until} exclusive upper bound, or null
     */
    static QueryShape page(String entityType, String entityId, Integer rank, Instant since, Instant until, Position after,
                           int limit) {
        List<Object> parameters = new ArrayList<>(List.of(entityType, entityId));
        StringBuilder where = new StringBuilder("entity_type = ? and entity_id = ?");
        if (rank != null) {
            where.append(" and rank = ?");
            parameters.add(rank);
        }
        if (since != null) {
            where.append(" and ts >= ?");
            parameters.add(since.atOffset(ZoneOffset.UTC));
        }
        if (until != null) {
            where.append(" and ts < ?");
            parameters.add(until.atOffset(ZoneOffset.UTC));
        }
        if (after != null) {
            // (ts desc, rank asc, id desc) after a position: a range on the index's leading ts, then the exact tie-break
            where.append(" and ts <= ? and (ts < ? or rank > ? or (rank = ? and id < ?))");
            parameters.addAll(List.of(after.ts().atOffset(ZoneOffset.UTC), after.ts().atOffset(ZoneOffset.UTC), after.rank(),
                    after.rank(), after.id()));
        }
        parameters.add(limit + 1);
        String sql = String.format(Locale.ROOT, """
                select t.ts, t.rank, t.id, a.*, e.*, m.*
                  from (select ts, rank, id, audit_id, email_id, meeting_id from bench_timeline_entries
                         where %s
                         order by ts desc, rank, id desc limit ?) t
                  left join audit_logs a on a.id = t.audit_id
                  left join crm_emails e on e.id = t.email_id
                  left join calendar_events m on m.id = t.meeting_id
                 order by t.ts desc, t.rank, t.id desc""", where);
        return new QueryShape(sql, parameters);
    }

    /**
     * The total of a first page: the entity's rows in range, from the index alone, counted up to the
     * API's cap plus one ({@link dev.pipedesk.postgres.TimelineRepository#EXACT_TOTAL_LIMIT}), as the
     * unified timeline counts.
     */
    static QueryShape count(String entityType, String entityId, Integer rank, Instant since, Instant until) {
        QueryShape page = page(entityType, entityId, rank, since, until, null, 1);
        String where = page.sql().substring(page.sql().indexOf("where ") + 6, page.sql().indexOf("order by ts desc, rank, id desc limit"))
                .strip();
        List<Object> parameters = new ArrayList<>(page.parameters().subList(0, page.parameters().size() - 1));
        parameters.add(dev.pipedesk.postgres.TimelineRepository.EXACT_TOTAL_LIMIT + 1);
        return new QueryShape("select count(*) from (select 1 from bench_timeline_entries where " + where + " limit ?) capped",
                parameters);
    }

    /** A statement and its parameters (bound with setObject). */
    public record QueryShape(String sql, List<Object> parameters) {
        public QueryShape {
            parameters = List.copyOf(parameters);
        }

        /** Runs it and reads every column of every row (as the page's mapping does); returns the last row's position. */
        Position run(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    int columns = rows.getMetaData().getColumnCount();
                    Position last = null;
                    boolean positioned = rows.getMetaData().getColumnName(1).equals("ts");
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            rows.getString(c);
                        }
                        if (positioned) {
                            last = new Position(rows.getObject(1, java.time.OffsetDateTime.class).toInstant(), rows.getInt(2),
                                    rows.getString(3));
                        }
                    }
                    return last;
                }
            }
        }
    }
}
