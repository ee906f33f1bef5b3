package dev.pipedesk.migrations;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Versioned schema migrations (Flyway, {@code classpath:db/migration}). Besides the tables, they
 * create the NOLOGIN group roles the functions' logins belong to — {@code pipedesk_app} (V9),
 * {@code pipedesk_audit_writer} (V2), {@code pipedesk_timeline_reader} (V6) — with their grants, and close PipeDesk's tables to
 * Supabase's Data API roles {@code anon} and {@code authenticated} where they exist (V10);
 * the logins themselves are the deployment's (the db-migrate function) or the local stack's.
 */
public final class Migrations {
    private static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /** Brings the schema up to date; returns the number of migrations applied. */
    public static int migrate(DataSource dataSource) {
        return flyway(dataSource).migrate().migrationsExecuted;
    }

    /**
     * Brings the schema up to date, first waiting for the database: a failed first connection is
     * tried again up to {@code connectRetries} times, the pause doubling from 1 s up to
     * {@code maxRetryIntervalSeconds} (Flyway's {@code connectRetries}). For a deployment step
     * that may run while the database (or the network path to it) is still coming up.
     */
    public static int migrate(DataSource dataSource, int connectRetries, int maxRetryIntervalSeconds) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .connectRetries(connectRetries)
                .connectRetriesInterval(maxRetryIntervalSeconds)
                .load()
                .migrate().migrationsExecuted;
    }

    /** The version of the last migration applied, or {@code none} on an empty database. */
    public static String currentVersion(DataSource dataSource) {
        MigrationInfo current = flyway(dataSource).info().current();
        return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .load();
    }
}
