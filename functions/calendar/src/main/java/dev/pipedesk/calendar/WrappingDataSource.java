package dev.pipedesk.calendar;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source in front of the calendar's pool: everything but {@link #getConnection()} goes to
 * the pool ({@link #pool()}); connections with other credentials are not offered.
 */
interface WrappingDataSource extends DataSource {

    /** The pool behind this data source. */
    DataSource pool();

    @Override
    default Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The calendar's pool has its own credentials");
    }

    @Override
    default PrintWriter getLogWriter() throws SQLException {
        return pool().getLogWriter();
    }

    @Override
    default void setLogWriter(PrintWriter out) throws SQLException {
        pool().setLogWriter(out);
    }

    @Override
    default void setLoginTimeout(int seconds) throws SQLException {
        pool().setLoginTimeout(seconds);
    }

    @Override
    default int getLoginTimeout() throws SQLException {
        return pool().getLoginTimeout();
    }

    @Override
    default Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool().getParentLogger();
    }

    @Override
    default <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool().unwrap(type);
    }

    @Override
    default boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool().isWrapperFor(type);
    }
}
