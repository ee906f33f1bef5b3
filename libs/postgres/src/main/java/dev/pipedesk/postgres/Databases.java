package dev.pipedesk.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** Connection pools sized for Lambda: one container serves one request at a time. */
public final class Databases {
    private Databases() {
    }

    /** The default wait for a pooled connection. */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    public static HikariDataSource create(DatabaseSettings settings) {
        return create(settings, CONNECTION_TIMEOUT);
    }

    /** A pool whose {@code getConnection} waits at most {@code connectionTimeout} (at least 250 ms). */
    public static HikariDataSource create(DatabaseSettings settings, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setIdleTimeout(60_000);
        config.setMaxLifetime(600_000);
        config.setPoolName("pipedesk");
        // SnapStart: the pool can be suspended before a snapshot and resumed after restore.
        config.setAllowPoolSuspension(true);
        // Connections are created lazily, on first use, not during a cold start.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
