package dev.pipedesk.postgres;

import static dev.pipedesk.postgres.Jdbc.instant;

import dev.pipedesk.core.JsonText;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@code audit_logs} table, append-only: {@link #append} (the audit-writer, whose role may
 * only insert) and {@link #list} (the read side). A read is one statement (the page and its capped
 * total together), run in autocommit: one snapshot, so a page and its total agree, in one round trip.
 */
public final class AuditLogRepository {
    private static final Logger LOG = Logger.getLogger(AuditLogRepository.class.getName());
    private static final String COLUMNS = """
            id, event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
            occurred_at, recorded_at, changes, before, after, source, request_id""";

    /**
     * The most rows a listing counts for its {@code total}: above it the total is this number and
     * not exact ({@link AuditLogPage#totalExact()}), so a filter matching a million rows costs a
     * page, not a count of the million (measured: 2.5 s for 943,107 rows of one action on the
     * benchmark database, docs/performance.md section 6).
     */
    public static final int EXACT_TOTAL_LIMIT = 10_000;

    private final DataSource dataSource;
    private final int totalLimit;

    public AuditLogRepository(DataSource dataSource) {
        this(dataSource, EXACT_TOTAL_LIMIT);
    }

    /** With another cap on the counted total (tests). */
    public AuditLogRepository(DataSource dataSource, int totalLimit) {
        if (totalLimit < 1) {
            throw new IllegalArgumentException("totalLimit must be at least 1");
        }
        this.dataSource = dataSource;
        this.totalLimit = totalLimit;
    }

    /**
     * What {@link #append} stored.
     *
     * @param written new rows (an entry whose event id is already stored is not written again)
     * @param refused the entries the database refused for their data, each left out
     */
    public record Appended(int written, List<Refusal> refused) {
        public Appended {
            refused = List.copyOf(refused);
        }

        /** The SQLState with which the database refused this entry (or one equal to it), if it did. */
        public Optional<String> refusalOf(NewAuditLogEntry entry) {
            return refused.stream().filter(refusal -> refusal.entry().equals(entry)).map(Refusal::sqlState).findFirst();
        }
    }

    /** An entry the database refused, and why (its SQLState). */
    public record Refusal(NewAuditLogEntry entry, String sqlState) {
    }

    /** PostgreSQL's limit on bind parameters per statement (the wire protocol counts them in 16 bits). */
    public static final int MAX_PARAMETERS = 65_535;
    /** Rows per {@code INSERT} of {@link #append}: as many as stay under {@link #MAX_PARAMETERS}. */
    public static final int ROWS_PER_STATEMENT = MAX_PARAMETERS / NewAuditLogEntry.COLUMN_COUNT;

    /**
     * Stores the entries with multi-row {@code INSERT … ON CONFLICT (event_id) DO NOTHING}
     * statements: an event id already stored (or repeated in the batch) is skipped. Up to
     * {@link #ROWS_PER_STATEMENT} entries are one statement on its own; more are split into
     * statements of at most that many rows, all in one transaction, so a batch is stored whole or
     * not at all.
     *
     * <p>When the database refuses the data of some entry (a data exception, an integrity
     * violation or a program limit), nothing of that attempt is kept and the entries are stored
     * again, bisected: a statement that is refused is split in halves until each refused entry
     * stands alone, so only the refused ones are left out (a few statements per refused entry,
     * not one per entry). Those statements commit one by one. Needs the INSERT privilege on
     * {@code audit_logs} and SELECT on its {@code event_id} (the conflict target) only.
     *
     * @throws DatabaseException when the database fails: none of the entries stored, or (while
     *                           isolating refused entries) only some; storing them again is safe
     */
    public Appended append(List<NewAuditLogEntry> entries) {
        if (entries.isEmpty()) {
            return new Appended(0, List.of());
        }
        try {
            return entries.size() <= ROWS_PER_STATEMENT
                    ? Transactions.withAutoCommit(dataSource, connection -> new Appended(insert(connection, entries), List.of()))
                    : Transactions.inTransaction(dataSource, connection -> new Appended(insertAll(connection, entries), List.of()));
        } catch (DatabaseException e) {
            if (!(e.getCause() instanceof SQLException cause) || !refusedData(cause)) {
                throw e;
            }
            LOG.warning(() -> "audit_logs: the database refused a batch of " + entries.size() + " entries (SQLState "
                    + cause.getSQLState() + "); storing them in halves to leave out only the refused ones");
            return Transactions.withAutoCommit(dataSource, connection -> {
                List<Refusal> refused = new ArrayList<>();
                int written = 0;
                for (List<NewAuditLogEntry> chunk : chunks(entries)) {
                    written += insertBisecting(connection, chunk, refused);
                }
                return new Appended(written, refused);
            });
        }
    }

    /** Every entry, one statement per {@link #ROWS_PER_STATEMENT} rows. */
    private static int insertAll(Connection connection, List<NewAuditLogEntry> entries) throws SQLException {
        int written = 0;
        for (List<NewAuditLogEntry> chunk : chunks(entries)) {
            written += insert(connection, chunk);
        }
        return written;
    }

    private static List<List<NewAuditLogEntry>> chunks(List<NewAuditLogEntry> entries) {
        List<List<NewAuditLogEntry>> chunks = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(entries.subList(from, Math.min(from + ROWS_PER_STATEMENT, entries.size())));
        }
        return chunks;
    }

    /** One multi-row insert of at most {@link #ROWS_PER_STATEMENT} entries; the rows it wrote. */
    private static int insert(Connection connection, List<NewAuditLogEntry> entries) throws SQLException {
        List<Object> values = new ArrayList<>(entries.size() * NewAuditLogEntry.COLUMN_COUNT);
        entries.forEach(entry -> entry.addValuesTo(values));
        return Jdbc.update(connection, NewAuditLogEntry.insertSql(entries.size()), values);
    }

    /**
     * Inserts the entries (autocommit); when the database refuses their data, inserts each half
     * on its own, down to single entries, which are then the refused ones. Throws when the
     * database itself fails.
     */
    private static int insertBisecting(Connection connection, List<NewAuditLogEntry> entries, List<Refusal> refused)
            throws SQLException {
        try {
            return insert(connection, entries);
        } catch (SQLException e) {
            if (!refusedData(e)) {
                throw e;
            }
            if (entries.size() == 1) {
                refused.add(new Refusal(entries.getFirst(), e.getSQLState()));
                return 0;
            }
            int half = entries.size() / 2;
            return insertBisecting(connection, entries.subList(0, half), refused)
                    + insertBisecting(connection, entries.subList(half, entries.size()), refused);
        }
    }

    /** Data exceptions (22), integrity violations (23), program limits (54): the entry's fault. */
    private static boolean refusedData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * What {@link #list} reads for a query: the count of the matches up to the cap plus one
     * ({@code total}; one more than the cap means "more than the cap") and the page (up to limit + 1
     * rows: the extra one only tells whether another page follows), each on its own; and
     * {@code merged}, the one statement {@link #list} runs — both in one snapshot: the count's one
     * row, left-joined to the page's rows (one row of nulls beside the count when the page is
     * empty). The benchmark EXPLAINs and times {@code merged}.
     */
    public record ListStatements(SqlStatement count, SqlStatement page, SqlStatement merged) {
    }

    /** The statements of {@link #list} with the default cap ({@value #EXACT_TOTAL_LIMIT}). */
    public static ListStatements statements(AuditLogQuery query) {
        return statements(query, EXACT_TOTAL_LIMIT);
    }

    static ListStatements statements(AuditLogQuery query, int totalLimit) {
        Where filters = Where.none()
                .andIfPresent("entity_type = ?", query.entityType())
                .andIfPresent("entity_id = ?", query.entityId())
                .andIfPresent("action = ?", query.action())
                .andIfPresent("actor_id = ?", query.actorId())
                .andIfPresent("occurred_at >= ?", query.occurredFrom())
                .andIfPresent("occurred_at < ?", query.occurredBefore());
        Where page = query.after() == null ? filters
                : filters.and("(occurred_at, id) < (?, ?)", query.after().occurredAt(), query.after().id());
        SqlStatement count = new SqlStatement("select count(*) from (select 1 from audit_logs" + filters.sql() + " limit ?) capped",
                filters.parametersThen(totalLimit + 1));
        SqlStatement rows = new SqlStatement("select " + COLUMNS + " from audit_logs" + page.sql()
                + " order by occurred_at desc, id desc limit ? offset ?",
                page.parametersThen(query.limit() + 1, query.offset()));
        List<Object> parameters = new ArrayList<>(count.parameters());
        parameters.addAll(rows.parameters());
        SqlStatement merged = new SqlStatement("select counted.total, page.* from (select count(*) as total from (select 1 from audit_logs"
                + filters.sql() + " limit ?) capped) counted left join lateral (" + rows.sql() + ") page on true"
                + " order by page.occurred_at desc, page.id desc", parameters);
        return new ListStatements(count, rows, merged);
    }

    /**
     * A page, newest first (occurred_at desc, id desc), and the number of matches: exact up to the
     * cap ({@value #EXACT_TOTAL_LIMIT} by default), else the cap with {@code totalExact} false.
     */
    public AuditLogPage list(AuditLogQuery query) {
        SqlStatement merged = statements(query, totalLimit).merged();
        return Transactions.withAutoCommit(dataSource, connection -> {
            long[] total = {0};
            // Every row carries the total; an empty page is one row of nulls beside it.
            List<AuditLogEntry> rows = new ArrayList<>(Jdbc.list(connection, merged.sql(), merged.parameters(), row -> {
                total[0] = row.getLong("total");
                return row.getObject("id") == null ? null : map(row);
            }));
            rows.removeIf(java.util.Objects::isNull);
            long counted = total[0];
            boolean hasMore = rows.size() > query.limit();
            boolean exact = counted <= totalLimit;
            return new AuditLogPage(hasMore ? rows.subList(0, query.limit()) : rows, exact ? counted : totalLimit, hasMore,
                    exact);
        });
    }

    private static AuditLogEntry map(ResultSet row) throws SQLException {
        return map(row, ColumnLabels.UNPREFIXED);
    }

    /** A row whose audit_logs columns carry {@code columns}' labels (prefixed in the timeline's merged rows). */
    static AuditLogEntry map(ResultSet row, ColumnLabels columns) throws SQLException {
        return new AuditLogEntry(
                row.getLong(columns.of("id")),
                row.getObject(columns.of("event_id")).toString(),
                row.getInt(columns.of("schema_version")),
                row.getString(columns.of("entity_type")),
                row.getString(columns.of("entity_id")),
                row.getString(columns.of("action")),
                row.getString(columns.of("actor_type")),
                row.getString(columns.of("actor_id")),
                instant(row, columns.of("occurred_at")),
                instant(row, columns.of("recorded_at")),
                JsonText.ofStored(row.getString(columns.of("changes"))),
                JsonText.ofStored(row.getString(columns.of("before"))),
                JsonText.ofStored(row.getString(columns.of("after"))),
                row.getString(columns.of("source")),
                row.getString(columns.of("request_id")));
    }
}
