package dev.pipedesk.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.migrations.Migrations;
import dev.pipedesk.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database prepared as Supabase prepares a project's (its Data API roles {@code anon} and
 * {@code authenticated}, USAGE on the schema, and default privileges granting them ALL on every
 * new table, sequence and function of the owner): after the migrations, those roles can read and
 * write nothing of PipeDesk's, now or in a table a later migration creates.
 */
@Tag("integration")
class SupabaseDataApiTest {
    private static TestDatabase database;

    @BeforeAll
    static void migrateADatabaseSetUpAsSupabaseDoes() {
        database = TestDatabase.startEmptyCheckingPasswords();
        database.execute(
                "create role anon nologin",
                "create role authenticated nologin",
                "create role service_role nologin bypassrls",
                "grant usage on schema public to anon, authenticated, service_role",
                "alter default privileges in schema public grant all on tables to anon, authenticated, service_role",
                "alter default privileges in schema public grant all on sequences to anon, authenticated, service_role",
                "alter default privileges in schema public grant all on functions to anon, authenticated, service_role");
        Migrations.migrate(database.dataSource());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anon", "authenticated"})
    void theDataApiRolesHoldNoPrivilegeOnAnyPipeDeskTableOrSequence(String apiRole) {
        assertThat(database.count("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname in ('public', 'pipedesk_audit') and c.relkind in ('r', 'p', 'v', 'm') "
                + "and has_table_privilege('" + apiRole + "', c.oid, "
                + "'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')")).isZero();
        assertThat(database.count("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname in ('public', 'pipedesk_audit') "
                + "and case c.relkind when 'S' then has_sequence_privilege('" + apiRole + "', c.oid, 'USAGE, SELECT, UPDATE') "
                + "else false end")).isZero();
        assertThat(database.count("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname = 'public' and c.relkind = 'r'")).as("PipeDesk's tables were checked").isGreaterThan(9);
        assertThat(database.count("select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace "
                + "where n.nspname in ('public', 'pipedesk_audit') and exists (select 1 from aclexplode(p.proacl) a "
                + "join pg_roles r on r.oid = a.grantee where r.rolname = '" + apiRole + "')")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anon", "authenticated"})
    void asADataApiRoleEveryReadAndWriteIsRefused(String apiRole) throws SQLException {
        for (String statement : List.of(
                "select count(*) from calendar_events",
                "select count(*) from audit_logs",
                "select count(*) from crm_emails",
                "select count(*) from leads",
                "select count(*) from flyway_schema_history",
                "insert into audit_outbox (event_id, payload) values (gen_random_uuid(), '{}')",
                "update calendar_sync_state set calendar_id = calendar_id",
                "delete from calendar_watch_channels",
                "delete from google_calendar_aliases",
                "truncate deals")) {
            assertThatThrownBy(() -> asRole(apiRole, statement)).as(statement)
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anon", "authenticated"})
    void aTableALaterMigrationCreatesIsClosedToo(String apiRole) {
        database.execute("create table if not exists later_migration_table (id bigint generated always as identity primary key)");

        assertThat(database.count("select count(*) from pg_class where relname in "
                + "('later_migration_table', 'later_migration_table_id_seq') "
                + "and (case relkind when 'S' then has_sequence_privilege('" + apiRole + "', oid, 'USAGE, SELECT, UPDATE') "
                + "else has_table_privilege('" + apiRole + "', oid, 'SELECT, INSERT, UPDATE, DELETE') end)")).isZero();
    }

    @Test
    void supabasesServiceRoleIsLeftAsItIs() {
        // service_role is Supabase's secret key, full access by design; PipeDesk does not change it.
        assertThat(database.count("select count(*) from pg_class where relname = 'calendar_events' "
                + "and has_table_privilege('service_role', oid, 'SELECT')")).isEqualTo(1);
    }

    private static void asRole(String role, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("set role " + role);
            statement.execute(sql);
        }
    }
}
