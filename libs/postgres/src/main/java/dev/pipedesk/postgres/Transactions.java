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
        return inTransaction(dataSource, false, work);
    }

    /**
     * One read-only, repeatable-read transaction: every statement of the work reads the same
     * snapshot (a page and its total agree), and a connection with more privileges than it
     * should have still cannot write.
     */
    public static <T> T readOnlySnapshot(DataSource dataSource, Work<T> work) {
        return inTransaction(dataSource, true, work);
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

    private static <T> T inTransaction(DataSource dataSource, boolean readOnlySnapshot, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            if (readOnlySnapshot) {
                connection.setReadOnly(true);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Transaction failed", e);
        }
    }
}
