package dev.pipedesk.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.secrets.Secrets;
import java.time.Duration;

/** Connection pools sized for Lambda: one container serves one request at a time. */
public final class Databases {
    private Databases() {
    }

    /** The default wait for a pooled connection. */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    /** A pool for settings with plain credentials (a database secret cannot be read: see {@link #create(DatabaseSettings, Duration, Secrets)}). */
    public static HikariDataSource create(DatabaseSettings settings) {
        return create(settings, CONNECTION_TIMEOUT);
    }

    /** A pool whose {@code getConnection} waits at most {@code connectionTimeout} (at least 250 ms). */
    public static HikariDataSource create(DatabaseSettings settings, Duration connectionTimeout) {
        return create(settings, connectionTimeout, Secrets.none());
    }

    public static HikariDataSource create(DatabaseSettings settings, Secrets secrets) {
        return create(settings, CONNECTION_TIMEOUT, secrets);
    }

    /**
     * A pool whose {@code getConnection} waits at most {@code connectionTimeout} (at least 250 ms).
     * With a database secret ({@link DatabaseSettings#secretArn()}), each new connection takes its
     * credentials from it ({@link SecretCredentialsDataSource}: read at first use, never while the
     * pool is built; a refused password makes it read the secret again at once).
     */
    public static HikariDataSource create(DatabaseSettings settings, Duration connectionTimeout, Secrets secrets) {
        HikariConfig config = new HikariConfig();
        if (settings.secretArn() != null) {
            config.setDataSource(new SecretCredentialsDataSource(settings.jdbcUrl(),
                    secrets.secret(settings.secretArn(), DatabaseCredentials::parse)));
        } else {
            config.setJdbcUrl(settings.jdbcUrl());
            if (settings.user() != null) {
                config.setUsername(settings.user());
            }
            if (settings.password() != null) {
                config.setPassword(settings.password());
            }
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
