package dev.pipedesk.postgres;

import static dev.pipedesk.postgres.Jdbc.instant;

import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The unified timeline of a lead, deal or contact, read from its three sources — audit entries
 * ({@code audit_logs}: of the entity, and of the meetings and e-mails that were linked to it), e-mails
 * ({@code crm_emails}, not unlinked) and meetings ({@code calendar_events}, not cancelled) — and
 * merged in the database. Needs SELECT on those three tables only (the
 * {@code pipedesk_timeline_reader} role).
 *
 * <p><b>Order.</b> {@code timestamp} descending (audit: {@code occurred_at}; e-mail:
 * {@code sent_at}; meeting: {@code start_time}), then the source's rank (audit, e-mail, meeting),
 * then the id within the source descending. A page continues strictly after a
 * {@link TimelinePosition}.
 *
 * <p><b>One statement.</b> A page is one {@code UNION ALL} of four branches — the entity's audit
 * entries ({@code audit_logs_entity}), the audit entries of the meetings and e-mails linked to it
 * ({@code audit_logs_linked}: the link each entry's snapshot records, stored by V7), its e-mails
 * ({@code crm_emails_timeline}), its meetings ({@code calendar_events_timeline}) — each an
 * index-ordered range scan limited to the rows a page can need ({@code offset + limit + 1}); the
 * database merges those few rows, orders them and keeps {@code limit + 1} (the extra row only says
 * whether another page follows). The keyset condition of each branch is a plain range
 * on its index ({@code ts < T}, {@code ts <= T} or {@code (ts, id) < (T, I)}, by comparing the
 * branch's source rank with the position's). A first page also carries the total in the same
 * statement: the matches of the branches counted up to a cap ({@link #EXACT_TOTAL_LIMIT}, as the
 * audit log's), so an entity with tens of thousands of entries costs a page, not a count of them
 * all; above the cap the total is the cap and {@linkplain TimelinePage#totalExact() not exact}.
 *
 * <p><b>Transactions.</b> The statement runs on its own, in autocommit: being one statement, it
 * reads one snapshot (the page and its total agree), with no {@code BEGIN}/{@code COMMIT} round
 * trip and no savepoint. It only reads ({@code SELECT}), and the timeline function's database role
 * may only read.
 *
 * <p><b>Degraded mode.</b> When that statement fails (a statement timeout, a missing grant), each
 * branch runs alone, under its own savepoint, in a read-only, repeatable-read transaction (one
 * snapshot for them all): a source with a failing branch is {@linkplain TimelinePage#degraded()
 * degraded} (logged with its name and the SQLState), and the page is merged from the branches
 * that answered, in the same order. Only when every branch fails does {@link #page} throw.
 */
public final class TimelineRepository {
    private static final Logger LOG = Logger.getLogger(TimelineRepository.class.getName());

    /**
     * The most entries a first page counts for its total: above it the total is this number and not
     * exact ({@link TimelinePage#totalExact()}) — the audit log's cap
     * ({@link AuditLogRepository#EXACT_TOTAL_LIMIT}), for one rule across the API.
     */
    public static final int EXACT_TOTAL_LIMIT = AuditLogRepository.EXACT_TOTAL_LIMIT;

    private final DataSource dataSource;
    private final int totalLimit;

    public TimelineRepository(DataSource dataSource) {
        this(dataSource, EXACT_TOTAL_LIMIT);
    }

    /** With another cap on the counted total (tests). */
    public TimelineRepository(DataSource dataSource, int totalLimit) {
        if (totalLimit < 1) {
            throw new IllegalArgumentException("totalLimit must be at least 1");
        }
        this.dataSource = dataSource;
        this.totalLimit = totalLimit;
    }

    /** The cap on a first page's counted total. */
    public int totalLimit() {
        return totalLimit;
    }

    /** A column of a source's table, as the merged row carries it (prefixed, null in the other sources' rows). */
    private record Column(String name, String type) {
    }

    private static final ColumnLabels AUDIT_LABELS = new ColumnLabels("a_");
    private static final ColumnLabels EMAIL_LABELS = new ColumnLabels("e_");
    private static final ColumnLabels MEETING_LABELS = new ColumnLabels("m_");
    private static final List<Column> AUDIT_COLUMNS = columns("""
            id bigint, event_id uuid, schema_version integer, entity_type text, entity_id text, action text,
            actor_type text, actor_id text, occurred_at timestamptz, recorded_at timestamptz, changes jsonb,
            before jsonb, after jsonb, source text, request_id text""");
    private static final List<Column> EMAIL_COLUMNS = columns("""
            id uuid, message_id text, thread_id text, direction text, from_address text, to_addresses text[],
            cc_addresses text[], subject text, snippet text, sent_at timestamptz, entity_type text, entity_id text,
            logged_by text, logged_at timestamptz, unlinked_at timestamptz, unlinked_by text""");
    private static final List<Column> MEETING_COLUMNS = columns("""
            id uuid, google_event_id text, calendar_id text, summary text, description text, start_time timestamptz,
            end_time timestamptz, meet_link text, conference_status text, html_link text, status text,
            organizer_email text, attendees jsonb, entity_type text, entity_id text, created_by text,
            idempotency_key text, request_hash text, google_etag text, google_updated_at timestamptz,
            created_at timestamptz, updated_at timestamptz""");

    /**
     * The four branches of a page: the rows of one source reached through one access path. The
     * alias of every table is {@code t}.
     */
    private enum Branch {
        AUDIT_OF_ENTITY(TimelineSource.AUDIT, "audit_logs"),
        AUDIT_OF_LINKED(TimelineSource.AUDIT, "audit_logs"),
        EMAILS(TimelineSource.EMAIL, "crm_emails"),
        MEETINGS(TimelineSource.MEETING, "calendar_events");

        final TimelineSource source;
        final String table;

        Branch(TimelineSource source, String table) {
            this.source = source;
            this.table = table;
        }

        String timestampColumn() {
            return switch (source) {
                case AUDIT -> "t.occurred_at";
                case EMAIL -> "t.sent_at";
                case MEETING -> "t.start_time";
            };
        }

        /** Which rows of the table belong to the entity's timeline (no date, no position). */
        Where rowsOf(TimelineQuery query) {
            String type = query.entityType().wire();
            String id = query.entityId();
            return switch (this) {
                case AUDIT_OF_ENTITY -> Where.none().and("t.entity_type = ?", type).and("t.entity_id = ?", id);
                // The entries of meetings (cancelled ones too) and e-mails (unlinked ones too) that were
                // linked to the entity when they happened (V7's stored link, index audit_logs_linked).
                case AUDIT_OF_LINKED -> Where.none().and("t.linked_entity_type = ?", type)
                        .and("t.linked_entity_id = ?", id);
                case EMAILS -> Where.none().and("t.entity_type = ?", type).and("t.entity_id = ?", id)
                        .and("t.unlinked_at is null");
                case MEETINGS -> Where.none().and("t.entity_type = ?", type).and("t.entity_id = ?", id)
                        .and("t.status <> 'cancelled'")
                        .andIfPresent(CalendarEventRepository.ATTENDED_BY, query.attendeeEmail());
            };
        }

        /** The rows of the page's query: the entity's, within the dates. */
        Where filters(TimelineQuery query) {
            return rowsOf(query)
                    .andIfPresent(timestampColumn() + " >= ?", query.since())
                    .andIfPresent(timestampColumn() + " < ?", query.until());
        }

        /** The keyset condition: the rows strictly after {@code p} in the timeline's order, as a range of this branch's index. */
        Where after(Where where, TimelinePosition p) {
            if (p == null) {
                return where;
            }
            int compared = Integer.compare(source.rank(), p.source().rank());
            String ts = timestampColumn();
            if (compared < 0) {
                return where.and(ts + " < ?", p.timestamp());
            }
            if (compared > 0) {
                return where.and(ts + " <= ?", p.timestamp());
            }
            return where.and("(" + ts + ", t.id) < (?, ?)", p.timestamp(), p.idParameter());
        }

        /** {@code src, ts, audit_id, row_uuid}, then every source's columns (this one's, nulls for the others). */
        String selectList() {
            List<String> items = new ArrayList<>();
            items.add(source.rank() + "::smallint as src");
            items.add(timestampColumn() + " as ts");
            items.add((source == TimelineSource.AUDIT ? "t.id" : "null::bigint") + " as audit_id");
            items.add((source == TimelineSource.AUDIT ? "null::uuid" : "t.id") + " as row_uuid");
            addColumns(items, AUDIT_LABELS, AUDIT_COLUMNS, source == TimelineSource.AUDIT);
            addColumns(items, EMAIL_LABELS, EMAIL_COLUMNS, source == TimelineSource.EMAIL);
            addColumns(items, MEETING_LABELS, MEETING_COLUMNS, source == TimelineSource.MEETING);
            return String.join(", ", items);
        }

        private static void addColumns(List<String> items, ColumnLabels labels, List<Column> columns, boolean present) {
            for (Column column : columns) {
                items.add((present ? "t." + column.name() : "null::" + column.type()) + " as " + labels.of(column.name()));
            }
        }
    }

    /** Each branch's select list, built once (57 columns: it is most of a page's SQL). */
    private static final Map<Branch, String> SELECT_LISTS = Arrays.stream(Branch.values())
            .collect(Collectors.toMap(branch -> branch, Branch::selectList, (a, b) -> a, () -> new EnumMap<>(Branch.class)));

    /** The branches a query reads, in a fixed order. */
    private static List<Branch> branchesOf(TimelineQuery query) {
        Set<TimelineSource> sources = query.effectiveSources();
        return Arrays.stream(Branch.values()).filter(branch -> sources.contains(branch.source)).toList();
    }

    /** How many rows a page needs from each branch: those it skips, those it shows, and one more. */
    private static int rowsNeeded(TimelineQuery query) {
        return Math.addExact(query.offset(), query.limit() + 1);
    }

    /**
     * The one statement {@link #page} runs normally: the merged page ({@code limit + 1} rows at most,
     * after {@code offset}) and, when the query {@linkplain TimelineQuery#countsTotal() counts}, the
     * column {@code total} on every row (the matches counted up to the cap plus one: one more than
     * the cap means "more than the cap"). Null when the query reads no source (an empty page, no
     * statement).
     */
    public SqlStatement mergedStatement(TimelineQuery query) {
        List<Branch> branches = branchesOf(query);
        return branches.isEmpty() ? null
                : statement(query, branches, query.countsTotal() ? totalLimit : 0, query.limit() + 1, query.offset());
    }

    /**
     * What {@link #page} runs besides the {@linkplain #mergedStatement merged statement} on the normal
     * path: nothing, as the total is part of it — except on a page past the last entry (an offset
     * beyond the total), where this one count statement gives the total the empty page cannot carry.
     */
    public List<SqlStatement> countStatements(TimelineQuery query) {
        List<Branch> branches = branchesOf(query);
        if (branches.isEmpty()) {
            return List.of();
        }
        return List.of(countStatement(query, branches, totalLimit));
    }

    private static SqlStatement countStatement(TimelineQuery query, List<Branch> branches, int totalLimit) {
        List<Where> filters = branches.stream().map(branch -> branch.filters(query)).toList();
        List<Object> parameters = new ArrayList<>();
        filters.forEach(where -> parameters.addAll(where.parameters()));
        parameters.add(totalLimit + 1);
        return new SqlStatement("select " + total(branches, filters) + " as total", parameters);
    }

    /**
     * The branches' matches (rows meeting {@code filters}, one per branch) counted up to a cap, as an
     * expression: a scalar subquery whose {@code union all} stops after {@code ?} rows (the cap plus one,
     * bound after the filters' parameters).
     */
    private static String total(List<Branch> branches, List<Where> filters) {
        List<String> matches = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            matches.add("(select 1 from " + branches.get(i).table + " t" + filters.get(i).sql() + ")");
        }
        return "(select count(*) from (" + String.join(" union all ", matches) + " limit ?) capped)";
    }

    /**
     * What a merged statement's text depends on: its branches, the conditions of each branch's page
     * and (on a first page) of its count — conditions hold placeholders only, never values — so the
     * text of a shape is built once ({@link #SQL_BY_SHAPE}) and every page of that shape runs the same
     * string: no 7 KB of SQL assembled and hashed per request, and the driver's statement cache
     * finds it by identity.
     */
    private record StatementShape(List<Branch> branches, List<List<String>> pageConditions,
                                  List<List<String>> countConditions) {
    }

    /** The texts of the shapes seen; at most {@value #MAX_CACHED_SHAPES} (there are a few hundred at most). */
    private static final Map<StatementShape, String> SQL_BY_SHAPE = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_SHAPES = 2_048;

    /**
     * The merge of {@code branches}, each limited to {@link #rowsNeeded} rows, then ordered and cut
     * to {@code limit} rows after {@code offset}; with a {@code totalLimit} above 0, every row carries
     * the branches' matches counted up to {@code totalLimit + 1} in {@code total}.
     */
    private static SqlStatement statement(TimelineQuery query, List<Branch> branches, int totalLimit, int limit,
                                          int offset) {
        List<Where> filters = branches.stream().map(branch -> branch.filters(query)).toList();
        List<Where> counted = totalLimit > 0 ? filters : List.of();
        List<Where> pages = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            pages.add(branches.get(i).after(filters.get(i), query.after()));
        }
        // Parameters in the text's order: the count's filters and its cap, each branch's page and its
        // row limit, then the merged page's limit and offset.
        List<Object> parameters = new ArrayList<>();
        counted.forEach(where -> parameters.addAll(where.parameters()));
        if (totalLimit > 0) {
            parameters.add(totalLimit + 1);
        }
        int rows = rowsNeeded(query);
        for (Where where : pages) {
            parameters.addAll(where.parameters());
            parameters.add(rows);
        }
        parameters.add(limit);
        parameters.add(offset);
        StatementShape shape = new StatementShape(branches, pages.stream().map(Where::conditions).toList(),
                counted.stream().map(Where::conditions).toList());
        String sql = SQL_BY_SHAPE.get(shape);
        if (sql == null) {
            sql = text(branches, counted, pages);
            if (SQL_BY_SHAPE.size() < MAX_CACHED_SHAPES) {
                SQL_BY_SHAPE.putIfAbsent(shape, sql);
            }
        }
        return new SqlStatement(sql, parameters);
    }

    /** The merged statement's text for these branches' count filters (none: no total) and page conditions. */
    private static String text(List<Branch> branches, List<Where> counted, List<Where> pages) {
        String total = counted.isEmpty() ? "" : ", " + total(branches, counted) + " as total";
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Branch branch = branches.get(i);
            parts.add("(select " + SELECT_LISTS.get(branch) + " from " + branch.table + " t" + pages.get(i).sql()
                    + " order by " + branch.timestampColumn() + " desc, t.id desc limit ?)");
        }
        return "select merged.*" + total + " from (" + String.join(" union all ", parts) + ") merged"
                + " order by merged.ts desc, merged.src, merged.audit_id desc, merged.row_uuid desc limit ? offset ?";
    }

    /**
     * One page, newest first, and (on a page read without a position) the total; see the class
     * comment for the statement and degraded mode.
     *
     * @throws DatabaseException when every source failed, or no connection could be had
     */
    public TimelinePage page(TimelineQuery query) {
        List<Branch> branches = branchesOf(query);
        if (branches.isEmpty()) {
            return new TimelinePage(List.of(), query.countsTotal() ? 0L : null, false, Set.of());
        }
        // One statement reads one snapshot: autocommit, no transaction round trips on the normal path.
        return Transactions.withAutoCommit(dataSource, connection -> {
            Rows rows;
            try {
                rows = read(connection, mergedStatement(query), query.countsTotal());
            } catch (SQLException merged) {
                LOG.warning(() -> "timeline: the merged statement failed (SQLState " + merged.getSQLState()
                        + "); reading each source on its own");
                // Several statements from here: one snapshot for all of them.
                return Transactions.readOnlySnapshotOn(connection, c -> degradedPage(c, query, branches));
            }
            Long counted = rows.total();
            if (query.countsTotal() && rows.entries().isEmpty() && query.offset() > 0) {
                SqlStatement count = countStatement(query, branches, totalLimit);
                counted = Jdbc.count(connection, count.sql(), count.parameters());
            } else if (query.countsTotal() && rows.entries().isEmpty()) {
                counted = 0L;
            }
            return pageOf(rows.entries(), query, counted, Set.of());
        });
    }

    /** Each branch alone, under its own savepoint; the page merged from those that answered. */
    private TimelinePage degradedPage(Connection connection, TimelineQuery query, List<Branch> branches)
            throws SQLException {
        Set<TimelineSource> degraded = EnumSet.noneOf(TimelineSource.class);
        List<TimelineEntry> entries = new ArrayList<>();
        long total = 0;
        SQLException lastFailure = null;
        int answered = 0;
        for (Branch branch : branches) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                Rows rows = read(connection, statement(query, List.of(branch), 0, rowsNeeded(query), 0), false);
                if (query.countsTotal()) {
                    SqlStatement count = countStatement(query, List.of(branch), totalLimit);
                    total += Jdbc.count(connection, count.sql(), count.parameters());
                }
                entries.addAll(rows.entries());
                connection.releaseSavepoint(savepoint);
                answered++;
            } catch (SQLException e) {
                connection.rollback(savepoint);
                degraded.add(branch.source);
                lastFailure = e;
                LOG.warning(() -> "timeline: source " + branch.source.wire() + " failed (" + branch.name().toLowerCase(Locale.ROOT)
                        + ", SQLState " + e.getSQLState() + "); the page is degraded");
            }
        }
        if (answered == 0) {
            throw lastFailure;
        }
        List<TimelineEntry> merged = entries.stream().sorted(ORDER).skip(query.offset())
                .limit(query.limit() + 1L).toList();
        // A source that failed in one branch is degraded as a whole; its other branches still answer.
        return pageOf(merged, query, query.countsTotal() ? total : null, degraded);
    }

    /** The page of {@code rows} (up to limit + 1), its total the {@code counted} matches (up to the cap + 1) capped. */
    private TimelinePage pageOf(List<TimelineEntry> rows, TimelineQuery query, Long counted,
                                Set<TimelineSource> degraded) {
        boolean hasMore = rows.size() > query.limit();
        boolean exact = counted == null || counted <= totalLimit;
        return new TimelinePage(hasMore ? rows.subList(0, query.limit()) : rows,
                counted == null ? null : Math.min(counted, totalLimit), exact, hasMore, degraded);
    }

    /** The timeline's order in Java (degraded mode): as the merged statement's {@code order by}. */
    static final Comparator<TimelineEntry> ORDER = Comparator
            .comparing(TimelineEntry::timestamp, Comparator.reverseOrder())
            .thenComparingInt(entry -> entry.source().rank())
            .thenComparing(TimelineRepository::compareIdsDescending);

    /** Ids within one source, descending, as PostgreSQL orders them (a uuid as unsigned bytes). */
    private static int compareIdsDescending(TimelineEntry a, TimelineEntry b) {
        return switch (a) {
            case TimelineEntry.Audit audit -> Long.compare(((TimelineEntry.Audit) b).entry().id(), audit.entry().id());
            case TimelineEntry.Email email -> compareUuids(((TimelineEntry.Email) b).email().id(), email.email().id());
            case TimelineEntry.Meeting meeting ->
                    compareUuids(((TimelineEntry.Meeting) b).meeting().id(), meeting.meeting().id());
        };
    }

    private static int compareUuids(String a, String b) {
        UUID x = UUID.fromString(a);
        UUID y = UUID.fromString(b);
        int high = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
    }

    private record Rows(List<TimelineEntry> entries, Long total) {
    }

    private static Rows read(Connection connection, SqlStatement statement, boolean withTotal) throws SQLException {
        long[] total = {-1};
        List<TimelineEntry> entries = Jdbc.list(connection, statement.sql(), statement.parameters(), row -> {
            if (withTotal) {
                total[0] = row.getLong("total");
            }
            return map(row);
        });
        return new Rows(entries, withTotal && total[0] >= 0 ? total[0] : null);
    }

    private static TimelineEntry map(ResultSet row) throws SQLException {
        TimelineSource source = TimelineSource.ofRank(row.getInt("src")).orElseThrow();
        return switch (source) {
            case AUDIT -> new TimelineEntry.Audit(AuditLogRepository.map(row, AUDIT_LABELS));
            case EMAIL -> new TimelineEntry.Email(email(row));
            case MEETING -> new TimelineEntry.Meeting(CalendarEventRepository.map(row, MEETING_LABELS));
        };
    }

    private static CrmEmail email(ResultSet row) throws SQLException {
        ColumnLabels columns = EMAIL_LABELS;
        return new CrmEmail(
                row.getObject(columns.of("id")).toString(),
                row.getString(columns.of("message_id")),
                row.getString(columns.of("thread_id")),
                EmailDirection.parse(row.getString(columns.of("direction"))).orElseThrow(),
                row.getString(columns.of("from_address")),
                strings(row, columns.of("to_addresses")),
                strings(row, columns.of("cc_addresses")),
                row.getString(columns.of("subject")),
                row.getString(columns.of("snippet")),
                instant(row, columns.of("sent_at")),
                EntityType.parse(row.getString(columns.of("entity_type"))).orElseThrow(),
                row.getString(columns.of("entity_id")),
                row.getString(columns.of("logged_by")),
                instant(row, columns.of("logged_at")),
                instant(row, columns.of("unlinked_at")),
                row.getString(columns.of("unlinked_by")));
    }

    private static List<String> strings(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.asList((String[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private static List<Column> columns(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(column -> {
            int space = column.indexOf(' ');
            return new Column(column.substring(0, space), column.substring(space + 1));
        }).collect(Collectors.toUnmodifiableList());
    }
}
