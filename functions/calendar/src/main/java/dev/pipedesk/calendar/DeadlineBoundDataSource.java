package dev.pipedesk.calendar;

import dev.pipedesk.core.RequestDeadline;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The calendar's connection pool under each request's {@link RequestDeadline}: no connection is
 * taken once the deadline has passed, and on a connection taken before it every round trip to
 * the database waits at most {@code statementTimeout}, and no longer than the time that was left
 * ({@link Connection#setNetworkTimeout}; the pool restores the setting when the connection goes
 * back). Outside a request (the audit outbox's background publish) connections are as the pool
 * makes them.
 */
record DeadlineBoundDataSource(DataSource pool, Duration statementTimeout, Clock clock) implements DataSource {
    private static final Executor SAME_THREAD = Runnable::run;

    @Override
    public Connection getConnection() throws SQLException {
        Optional<Instant> deadline = RequestDeadline.current();
        if (deadline.isEmpty()) {
            return pool.getConnection();
        }
        Duration left = RequestDeadline.timeLeft(deadline.get(), clock);
        if (left.isZero()) {
            throw new SQLTimeoutException("The request's time budget is spent: no database connection was taken");
        }
        Connection connection = pool.getConnection();
        Duration limit = left.compareTo(statementTimeout) < 0 ? left : statementTimeout;
        try {
            connection.setNetworkTimeout(SAME_THREAD, (int) Math.max(1, limit.toMillis()));
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The calendar's pool has its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
