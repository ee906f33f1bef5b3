package dev.pipedesk.postgres;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.secrets.Secrets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * A connection pool ({@link Databases#create}) across a Lambda SnapStart snapshot
 * (docs/architecture.md, "SnapStart"): the function's SnapStart resource calls these.
 * <ul>
 *   <li>{@link #primeDriver()}: loads the PostgreSQL driver and the classes a query goes through,
 *       and parses the pool's URL, without opening a connection.</li>
 *   <li>{@link #beforeCheckpoint()}: suspends the pool (nothing is opened until the restore) and
 *       evicts every connection in it, so that none is in the snapshot.</li>
 *   <li>{@link #afterRestore()}: evicts again (a connection from before the snapshot is never handed
 *       out, whatever happened) and resumes: the next request opens a new connection, with the
 *       credentials as they are now.</li>
 * </ul>
 * The pool must allow suspension, as {@link Databases#create} makes it: while suspended, a request for
 * a connection waits for the resume. A function adds them to its SnapStart resource with {@link #addTo},
 * together with the cached secrets forgotten after a restore.
 */
public final class PoolSnapshots {
    private static final Logger LOG = Logger.getLogger(PoolSnapshots.class.getName());

    /** What a query goes through in the driver and in Hikari's proxies; loading them is side-effect free. */
    private static final List<String> QUERY_PATH_CLASSES = List.of(
            "org.postgresql.Driver",
            "org.postgresql.jdbc.PgConnection",
            "org.postgresql.core.v3.ConnectionFactoryImpl",
            "org.postgresql.core.v3.QueryExecutorImpl",
            "org.postgresql.core.Parser",
            "org.postgresql.jdbc.PgPreparedStatement",
            "org.postgresql.jdbc.PgResultSet",
            "org.postgresql.jdbc.TimestampUtils",
            "org.postgresql.util.PGobject",
            "org.postgresql.util.PSQLException",
            "com.zaxxer.hikari.pool.HikariProxyConnection",
            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement",
            "com.zaxxer.hikari.pool.HikariProxyResultSet");

    private final HikariDataSource pool;

    /** Parsed while priming when the pool has no URL of its own (its data source holds it). */
    static final String REPRESENTATIVE_URL = "jdbc:postgresql://localhost:5432/pipedesk";

    public PoolSnapshots(HikariDataSource pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        if (!pool.isAllowPoolSuspension()) {
            throw new IllegalArgumentException("The pool " + pool.getPoolName() + " does not allow suspension");
        }
    }

    /**
     * Adds this pool's steps to a function's SnapStart resource, after the steps already added: the
     * driver primed; before the checkpoint the pool suspended and emptied; after a restore the cached
     * secrets forgotten ({@link Secrets#forgetAll}: the next connection reads its credentials as they
     * are now), then the pool emptied and resumed.
     */
    public SnapStartResource.Builder addTo(SnapStartResource.Builder resource) {
        return resource
                .prime("JDBC driver", this::primeDriver)
                .beforeCheckpoint("database pool suspended and emptied", this::beforeCheckpoint)
                .afterRestore("cached secrets forgotten", Secrets::forgetAll)
                .afterRestore("database pool emptied and resumed", this::afterRestore);
    }

    /** Loads (and initialises) the driver's and the pool's query path, and parses the pool's URL. Opens no connection. */
    public void primeDriver() {
        ClassLoader loader = PoolSnapshots.class.getClassLoader();
        for (String name : QUERY_PATH_CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                LOG.fine(() -> "SnapStart priming: " + name + " is not on the class path");
            }
        }
        try {
            // Asks each driver whether it takes the URL, which parses it. A pool whose credentials come
            // from a secret (DATABASE_SECRET_ARN) has a data source instead of a URL: a URL of the same
            // form primes the same parsing.
            String url = pool.getJdbcUrl() != null ? pool.getJdbcUrl() : REPRESENTATIVE_URL;
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalStateException("No JDBC driver takes the pool's URL", e);
        }
    }

    /** Suspends the pool and evicts every connection in it (none is in use while the snapshot is taken). */
    public void beforeCheckpoint() {
        HikariPoolMXBean control = control();
        control.suspendPool();
        control.softEvictConnections();
        LOG.fine(() -> "SnapStart: pool " + pool.getPoolName() + " suspended and emptied");
    }

    /** Evicts whatever the pool holds (a connection from before the snapshot is never reused) and resumes it. */
    public void afterRestore() {
        HikariPoolMXBean control = control();
        control.softEvictConnections();
        control.resumePool();
        LOG.fine(() -> "SnapStart: pool " + pool.getPoolName() + " emptied and resumed");
    }

    /** Connections the pool holds now, in use or idle. */
    public int connections() {
        return control().getTotalConnections();
    }

    private HikariPoolMXBean control() {
        HikariPoolMXBean control = pool.getHikariPoolMXBean();
        if (control == null) {
            throw new IllegalStateException("The pool " + pool.getPoolName() + " is closed or not started");
        }
        return control;
    }
}
