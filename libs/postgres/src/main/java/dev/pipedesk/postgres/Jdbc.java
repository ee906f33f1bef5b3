package dev.pipedesk.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC every repository needs, once: a statement prepared on the caller's connection (see
 * {@link Transactions}), its parameters bound in order, its rows mapped.
 *
 * <p>Parameters bind with {@code setObject}: an {@link Instant} as a UTC {@code timestamptz}
 * (microsecond-exact, as PostgreSQL stores it, so a value read back compares equal), null as an
 * untyped null whose type the statement decides (its column, or a cast such as {@code ?::jsonb}).
 */
public final class Jdbc {
    private Jdbc() {
    }

    /** Maps the current row of a result. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Every row of a query. */
    public static <T> List<T> list(Connection connection, String sql, List<?> parameters, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            List<T> mapped = new ArrayList<>();
            while (rows.next()) {
                mapped.add(mapper.map(rows));
            }
            return mapped;
        }
    }

    /** The first row of a query, if there is one. */
    public static <T> Optional<T> first(Connection connection, String sql, List<?> parameters, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
    }

    /** The number a {@code select count(*)} returns. */
    public static long count(Connection connection, String sql, List<?> parameters) throws SQLException {
        return first(connection, sql, parameters, row -> row.getLong(1)).orElseThrow();
    }

    /** Runs an insert, update or delete; returns the number of rows it changed. */
    public static int update(Connection connection, String sql, List<?> parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    /** A {@code timestamptz} column as an instant, or null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<?> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, bindable(parameters.get(i)));
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static Object bindable(Object value) {
        return value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value;
    }
}
