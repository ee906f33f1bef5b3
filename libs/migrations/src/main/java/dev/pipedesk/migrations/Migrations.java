package dev.pipedesk.migrations;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Versioned schema migrations (Flyway, {@code classpath:db/migration}). Besides the tables, they
 * create the NOLOGIN group roles the functions' logins belong to — {@code pipedesk_app} (V9),
 * {@code pipedesk_audit_writer} (V2), {@code pipedesk_timeline_reader} (V6) — with their grants;
 * the logins themselves are the deployment's (the db-migrate function) or the local stack's.
 */
public final class Migrations {
    private Migrations() {
    }

    /** Brings the schema up to date; returns the number of migrations applied. */
    public static int migrate(DataSource dataSource) {
        return flyway(dataSource).migrate().migrationsExecuted;
    }

    /** The version of the last migration applied, or {@code none} on an empty database. */
    public static String currentVersion(DataSource dataSource) {
        MigrationInfo current = flyway(dataSource).info().current();
        return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
    }
}
