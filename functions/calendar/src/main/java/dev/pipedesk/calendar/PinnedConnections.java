package dev.pipedesk.calendar;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A pool whose connections can be pinned: inside {@link #onOneConnection}, every connection the
 * current thread takes from it is one and the same pooled connection, taken on first use and
 * given back when the work ends (closing it inside the work does nothing). A meeting write
 * ({@link PostgresEventStore#exclusively}) holds the meeting lock on that connection and writes
 * the mirror on it, so a request uses one pooled connection at a time, lock or not, and the
 * outbox's background publish (another thread, never pinned) always finds the second one of the
 * default pool of two: a slow audit queue never makes a write wait for a connection.
 */
final class PinnedConnections implements WrappingDataSource {
    private static final ScopedValue<Pin> PIN = ScopedValue.newInstance();

    private final DataSource pool;

    PinnedConnections(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public DataSource pool() {
        return pool;
    }

    /** Runs {@code work} with this thread's connections pinned to one; gives it back afterwards. */
    static <T> T onOneConnection(Supplier<T> work) {
        Pin pin = new Pin();
        try {
            return ScopedValue.where(PIN, pin).call(work::get);
        } finally {
            pin.release();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return PIN.isBound() ? PIN.get().connection(pool) : pool.getConnection();
    }

    /** The pinned connection of one {@link #onOneConnection} call. */
    private static final class Pin {
        private Connection pooled;
        private Connection shared;

        Connection connection(DataSource pool) throws SQLException {
            if (pooled == null) {
                pooled = pool.getConnection();
                shared = closeIgnored(pooled);
            }
            return shared;
        }

        void release() {
            if (pooled == null) {
                return;
            }
            try {
                pooled.close();
            } catch (SQLException e) {
                // A broken connection: the pool drops it.
            }
        }
    }

    /** The connection, with {@code close()} doing nothing: its pin gives it back. */
    private static Connection closeIgnored(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
