package dev.pipedesk.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The pool a function would have on a benchmark database: the superuser's settings with the
 * functions' default pool size (what the local stack's functions get with {@code DATABASE_URL}),
 * built by {@link Databases#create} at first use, closed with its database.
 */
final class FunctionPool implements AutoCloseable {
    private final String jdbcUrl;
    private HikariDataSource pool;

    FunctionPool(String jdbcUrl) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    DatabaseSettings settings() {
        return new DatabaseSettings(jdbcUrl, BenchPostgres.SUPERUSER, null, DatabaseSettings.DEFAULT_POOL_SIZE);
    }

    synchronized DataSource get() {
        if (pool == null) {
            pool = Databases.create(settings());
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
