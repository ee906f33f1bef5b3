package dev.pipedesk.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The EXPLAIN harness: {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)} of a statement with its
 * parameters bound, as the application runs it, and a check that flags any sequential scan of a
 * large table (a sort of a few hundred rows is fine; reading a whole table per request is not).
 */
public final class QueryPlans {
    /** The tables that hold millions of rows on a real CRM: a Seq Scan on one of them is flagged. */
    public static final Set<String> LARGE_TABLES = Set.of("audit_logs", "calendar_events", "crm_emails");
    private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (\\w+)");
    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");

    private QueryPlans() {
    }

    /**
     * One statement's plan.
     *
     * @param seqScans       the large tables the plan reads sequentially (empty: none)
     * @param executionMillis the server's own execution time of this EXPLAIN ANALYZE run
     */
    public record Plan(String name, String sql, String text, Set<String> seqScans, double executionMillis) {
        public boolean flagged() {
            return !seqScans.isEmpty();
        }
    }

    /** Runs the statement once first (so the plan shows a warm cache, as the measured runs see), then explains it. */
    public static Plan explain(DataSource dataSource, String name, String sql, List<?> parameters) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement warm = prepare(connection, sql, parameters); ResultSet rows = warm.executeQuery()) {
                while (rows.next()) {
                    // read it all, as the application does
                }
            }
            List<String> lines = new ArrayList<>();
            try (PreparedStatement explain = prepare(connection, "explain (analyze, buffers, format text) " + sql, parameters);
                 ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
            String text = String.join("\n", lines);
            return new Plan(name, sql, text, seqScans(text), executionMillis(text));
        } catch (SQLException e) {
            throw new IllegalStateException("EXPLAIN of " + name + " failed: " + sql, e);
        }
    }

    /** The large tables a plan reads with a (parallel) sequential scan. */
    static Set<String> seqScans(String plan) {
        Set<String> tables = new TreeSet<>();
        Matcher matcher = SEQ_SCAN.matcher(plan);
        while (matcher.find()) {
            if (LARGE_TABLES.contains(matcher.group(1))) {
                tables.add(matcher.group(1));
            }
        }
        return tables;
    }

    private static double executionMillis(String plan) {
        Matcher matcher = EXECUTION.matcher(plan);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<?> parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            statement.setObject(i + 1, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
        }
        return statement;
    }
}
