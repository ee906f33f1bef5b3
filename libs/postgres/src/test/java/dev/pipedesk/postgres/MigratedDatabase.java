package dev.pipedesk.postgres;

import dev.pipedesk.migrations.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded PostgreSQL with every migration applied, for one test class
 * ({@code @RegisterExtension static}); it starts before the class's {@code @BeforeAll} methods.
 * (This module cannot use test-support's TestDatabase: test-support depends on it.)
 */
public final class MigratedDatabase implements BeforeAllCallback, AfterAllCallback {
    private final boolean checkPasswords;
    private EmbeddedPostgres postgres;
    private int migrationsApplied;

    /** Every role of the cluster connects without a password (trust). */
    public MigratedDatabase() {
        this(false);
    }

    private MigratedDatabase(boolean checkPasswords) {
        this.checkPasswords = checkPasswords;
    }

    /**
     * A database where the superuser {@code postgres} connects without a password and every other
     * login must give its password (SCRAM), as in a real deployment.
     */
    public static MigratedDatabase checkingPasswords() {
        return new MigratedDatabase(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (checkPasswords) {
            java.nio.file.Path hba = java.nio.file.Files.createTempFile("pipedesk-pg_hba", ".conf");
            hba.toFile().deleteOnExit();
            java.nio.file.Files.writeString(hba, """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            builder.setServerConfig("hba_file", hba.toAbsolutePath().toString());
        }
        postgres = builder.start();
        migrationsApplied = Migrations.migrate(dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        postgres.close();
    }

    /** Superuser connections (not pooled). */
    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /** Connections (not pooled) as another role of the cluster, which must have LOGIN (no password is checked). */
    public DataSource dataSource(String user) {
        return postgres.getDatabase(user, "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of the database, for a pool of the tests' own. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int migrationsApplied() {
        return migrationsApplied;
    }
}
