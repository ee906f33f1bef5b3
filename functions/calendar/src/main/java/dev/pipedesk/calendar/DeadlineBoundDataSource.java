package dev.pipedesk.calendar;

import dev.pipedesk.core.RequestDeadline;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * The calendar's connection pool under each request's {@link RequestDeadline}: no connection is
 * taken once the deadline has passed, and on a connection taken before it every round trip to
 * the database waits at most {@code statementTimeout}, and no longer than the time that was left
 * ({@link Connection#setNetworkTimeout}; the pool restores the setting when the connection goes
 * back). Outside a request (the audit outbox's background publish) connections are as the pool
 * makes them.
 */
record DeadlineBoundDataSource(DataSource pool, Duration statementTimeout, Clock clock) implements WrappingDataSource {
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
}
