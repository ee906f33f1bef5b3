package dev.pipedesk.migrations;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Versioned schema migrations (Flyway, {@code classpath:db/migration}). */
public final class Migrations {
    private Migrations() {
    }

    /** Brings the schema up to date; returns the number of migrations applied. */
    public static int migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
