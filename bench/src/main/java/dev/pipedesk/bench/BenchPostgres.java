package dev.pipedesk.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The embedded PostgreSQL server of a benchmark session, started as the local stack starts it
 * ({@code EmbeddedPostgres.builder().start()}). Every run gets a {@link #freshDatabase()} of its
 * own on it, migrated and dropped afterwards, so audit_logs (append-only) starts empty each time
 * without paying for a new cluster per run.
 */
public final class BenchPostgres implements AutoCloseable {
    static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private BenchPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static BenchPostgres start() {
        try {
            return new BenchPostgres(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL could not start", e);
        }
    }

    /** A new, migrated database; dropped when the returned object is closed. */
    public BenchDatabase freshDatabase() {
        String name = "bench_" + databases.incrementAndGet();
        execute("create database " + name);
        return BenchDatabase.migrated(this, name);
    }

    public int port() {
        return postgres.getPort();
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** Superuser connections to a database, opened per call (no pool). */
    DataSource unpooled(String database) {
        return postgres.getDatabase(SUPERUSER, database);
    }

    void execute(String sql) {
        try (Connection connection = unpooled("postgres").getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed: " + sql, e);
        }
    }

    /** The server settings that matter for write latency, for the report. */
    public String describe() {
        return "PostgreSQL " + show("server_version") + " (embedded, as the local stack runs it: fsync=" + show("fsync")
                + ", synchronous_commit=" + show("synchronous_commit") + ", shared_buffers=" + show("shared_buffers") + ")";
    }

    private String show(String setting) {
        return show(unpooled("postgres"), setting);
    }

    /** A server setting ({@code SHOW}), read through {@code database}: for the reports. */
    static String show(DataSource database, String setting) {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed: show " + setting, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
