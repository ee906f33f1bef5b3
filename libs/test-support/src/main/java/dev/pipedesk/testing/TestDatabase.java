package dev.pipedesk.testing;

import dev.pipedesk.migrations.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/** An embedded PostgreSQL with every migration applied; the superuser is {@code postgres}. */
public final class TestDatabase implements AutoCloseable {
    private static volatile TestDatabase shared;

    private final EmbeddedPostgres postgres;

    private TestDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * The database every test class of this JVM may share (started on first use): a PostgreSQL
     * start, with initdb and the migrations, is the slowest part of a database test class. Classes
     * sharing it empty the tables they use before each test. {@link #close()} leaves it running; it
     * stops when the JVM exits.
     */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** A database of the caller's own; {@link #close()} stops it. */
    public static TestDatabase start() {
        try {
            // The embedded PostgreSQL stops itself when the JVM exits (its shutdown hook).
            TestDatabase database = new TestDatabase(EmbeddedPostgres.builder().start());
            Migrations.migrate(database.dataSource());
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An empty database (no migration applied) of the caller's own, where the superuser
     * {@code postgres} connects without a password and every other login must give its password
     * (SCRAM-SHA-256), as in a deployment: for tests of migrations and logins.
     */
    public static TestDatabase startEmptyCheckingPasswords() {
        try {
            Path hba = Files.createTempFile("pipedesk-pg_hba", ".conf");
            hba.toFile().deleteOnExit();
            Files.writeString(hba, """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            return new TestDatabase(EmbeddedPostgres.builder()
                    .setServerConfig("hba_file", hba.toAbsolutePath().toString())
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** Superuser connections (not pooled). */
    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** DATABASE_URL (and credentials) for a function connecting as {@code user}. */
    public Map<String, String> env(String user, String password) {
        return Map.of("DATABASE_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                "DATABASE_USER", user,
                "DATABASE_PASSWORD", password);
    }

    /** Runs statements as the superuser. */
    public void execute(String... statements) {
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query, as the superuser. */
    public long count(String sql) {
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the database, unless it is the {@link #shared()} one. */
    @Override
    public void close() {
        if (this == shared) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
