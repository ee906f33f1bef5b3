package dev.pipedesk.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs database work on one connection from a pool, and turns its {@link SQLException}s into
 * {@link DatabaseException}s (other exceptions pass through unchanged).
 */
public final class Transactions {
    private Transactions() {
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** One transaction: committed when the work returns, rolled back when it throws. */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        return inTransaction(dataSource, Isolation.READ_WRITE, work);
    }

    /**
     * One read-only, repeatable-read transaction: every statement of the work reads the same
     * snapshot (a page and its total agree), and a connection with more privileges than it
     * should have still cannot write.
     */
    public static <T> T readOnlySnapshot(DataSource dataSource, Work<T> work) {
        return inTransaction(dataSource, Isolation.READ_ONLY_SNAPSHOT, work);
    }

    /**
     * One read-only transaction at the connection's default isolation (read committed): for work
     * that reads with one statement, which sees one snapshot anyway. Cheaper than
     * {@link #readOnlySnapshot} by the two round trips of setting and resetting the isolation level.
     * Work that needs a snapshot across several statements after all may start its (next)
     * transaction with {@code set transaction isolation level repeatable read}.
     */
    public static <T> T readOnly(DataSource dataSource, Work<T> work) {
        return inTransaction(dataSource, Isolation.READ_ONLY, work);
    }

    /** No transaction around the work: each statement commits (or fails) on its own. */
    public static <T> T withAutoCommit(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw new DatabaseException("Statement failed", e);
        }
    }

    /**
     * One read-only, repeatable-read transaction on a connection the caller holds in autocommit
     * mode (as {@link #withAutoCommit} gives it): committed when the work returns, rolled back when
     * it throws; the connection is in autocommit mode again afterwards. For work that first tried
     * one statement in autocommit and, failing, needs several statements in one snapshot.
     */
    public static <T> T readOnlySnapshotOn(Connection connection, Work<T> work) throws SQLException {
        boolean readOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            return commitOrRollBack(connection, snapshot -> {
                Jdbc.update(snapshot, "set transaction isolation level repeatable read", java.util.List.of());
                return work.run(snapshot);
            });
        } finally {
            connection.setAutoCommit(true);
            connection.setReadOnly(readOnly);
        }
    }

    private enum Isolation { READ_WRITE, READ_ONLY, READ_ONLY_SNAPSHOT }

    private static <T> T inTransaction(DataSource dataSource, Isolation isolation, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            if (isolation != Isolation.READ_WRITE) {
                connection.setReadOnly(true);
            }
            if (isolation == Isolation.READ_ONLY_SNAPSHOT) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                return commitOrRollBack(connection, work);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Transaction failed", e);
        }
    }

    /** Runs the work in the connection's open transaction: committed when it returns, rolled back when it throws. */
    private static <T> T commitOrRollBack(Connection connection, Work<T> work) throws SQLException {
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }
}
