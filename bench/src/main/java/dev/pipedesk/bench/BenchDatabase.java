package dev.pipedesk.bench;

import dev.pipedesk.migrations.Migrations;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * One benchmark run's database on the session's {@link BenchPostgres}: created fresh, every
 * migration applied, dropped on {@link #close()}.
 */
public final class BenchDatabase implements AutoCloseable {
    /** The audit-writer's INSERT-only role, created NOLOGIN by the migrations. */
    public static final String AUDIT_WRITER_ROLE = "pipedesk_audit_writer";

    private final BenchPostgres server;
    private final String name;
    private final FunctionPool pool;

    private BenchDatabase(BenchPostgres server, String name) {
        this.server = server;
        this.name = name;
        this.pool = new FunctionPool(server.jdbcUrl(name));
    }

    static BenchDatabase migrated(BenchPostgres server, String name) {
        BenchDatabase database = new BenchDatabase(server, name);
        try {
            Migrations.migrate(database.unpooled());
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Superuser connections, opened per call (no pool): for setup and checks. */
    public DataSource unpooled() {
        return server.unpooled(name);
    }

    /** The superuser's connection settings, with the functions' default pool size. */
    public DatabaseSettings settings() {
        return pool.settings();
    }

    /** A HikariCP pool as a function builds it ({@link Databases#create}, pool size 2), created once. */
    public DataSource pool() {
        return pool.get();
    }

    /** The server's port (its processes are this run's PostgreSQL CPU time). */
    public int port() {
        return server.port();
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /**
     * Gives {@value #AUDIT_WRITER_ROLE} a login and a random password, as the local stack does,
     * and returns the settings the audit-writer connects with.
     */
    public DatabaseSettings enableAuditWriterLogin() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // base64url: no quotes to escape; ALTER ROLE takes no bind parameters.
        execute("alter role " + AUDIT_WRITER_ROLE + " login password '" + password + "'");
        return new DatabaseSettings(jdbcUrl(), AUDIT_WRITER_ROLE, password, DatabaseSettings.DEFAULT_POOL_SIZE);
    }

    public void execute(String sql) {
        try (Connection connection = unpooled().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed: " + sql, e);
        }
    }

    /** The first column of the first row, as a long. */
    public long queryLong(String sql) {
        return Long.parseLong(queryString(sql));
    }

    /** The first column of the first row, as text. */
    public String queryString(String sql) {
        try (Connection connection = unpooled().getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row: " + sql);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        pool.close();
        server.execute("drop database if exists " + name + " with (force)");
    }
}
