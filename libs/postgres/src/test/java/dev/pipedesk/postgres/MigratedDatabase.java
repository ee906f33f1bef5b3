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
    private EmbeddedPostgres postgres;
    private int migrationsApplied;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
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

    /** The JDBC URL of the database, for a pool of the tests' own. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int migrationsApplied() {
        return migrationsApplied;
    }
}
