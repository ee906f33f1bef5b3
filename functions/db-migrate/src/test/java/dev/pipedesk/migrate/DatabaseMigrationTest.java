package dev.pipedesk.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.secrets.SecretUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The migration function's service on an empty PostgreSQL that checks passwords, with the login
 * secrets in the Secrets Manager stand-in: the schema is migrated, each group role gets its login,
 * a second run changes nothing but passwords, and a rotated login secret re-passwords its login.
 */
@Tag("integration")
class DatabaseMigrationTest {
    private static DeploymentDatabase deployment;
    private static MigrationSummary first;

    @BeforeAll
    static void migrateAFreshDatabase() {
        deployment = new DeploymentDatabase();
        first = deployment.migrate();
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Test
    void appliesEveryMigrationAndCreatesOneLoginPerGroupRole() {
        assertThat(first.migrationsApplied()).isGreaterThanOrEqualTo(9);
        assertThat(first.schemaVersion()).isNotEqualTo("none");
        assertThat(first.logins()).containsExactly(
                new MigrationSummary.Login("pipedesk_app", "pipedesk_app_login", MigrationSummary.Action.CREATED),
                new MigrationSummary.Login("pipedesk_audit_writer", "pipedesk_audit_writer_login", MigrationSummary.Action.CREATED),
                new MigrationSummary.Login("pipedesk_timeline_reader", "pipedesk_timeline_reader_login",
                        MigrationSummary.Action.CREATED));
    }

    @Test
    void eachLoginConnectsWithItsPasswordAsAMemberOfItsRoleOnly() throws SQLException {
        for (GroupRole role : GroupRole.values()) {
            try (Connection connection = deployment.connect(role, deployment.password(role))) {
                assertThat(single(connection, "select current_user")).isEqualTo(DeploymentDatabase.username(role));
                assertThat(single(connection, "select string_agg(b.rolname, ',') from pg_auth_members m "
                        + "join pg_roles b on b.oid = m.roleid join pg_roles u on u.oid = m.member where u.rolname = current_user"))
                        .isEqualTo(role.roleName());
                assertThat(single(connection, "select rolsuper or rolcreaterole or rolcreatedb from pg_roles where rolname = current_user"))
                        .isEqualTo("f");
            }
            assertThatThrownBy(() -> deployment.connect(role, "not-the-password").close())
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        }
    }

    @Test
    void aSecondRunAppliesNothingAndKeepsTheLoginsWorking() throws SQLException {
        MigrationSummary again = deployment.migrate();

        assertThat(again.migrationsApplied()).isZero();
        assertThat(again.schemaVersion()).isEqualTo(first.schemaVersion());
        assertThat(again.logins()).extracting(MigrationSummary.Login::action).containsOnly(MigrationSummary.Action.UPDATED);
        for (GroupRole role : GroupRole.values()) {
            try (Connection connection = deployment.connect(role, deployment.password(role))) {
                assertThat(single(connection, "select current_user")).isEqualTo(DeploymentDatabase.username(role));
            }
        }
        assertThat(deployment.database.count("select count(*) from pg_roles where rolname like 'pipedesk_%_login'")).isEqualTo(3);
    }

    @Test
    void aRotatedLoginSecretRePasswordsTheLogin() throws SQLException {
        String before = deployment.password(GroupRole.PIPEDESK_AUDIT_WRITER);
        deployment.putLogin(GroupRole.PIPEDESK_AUDIT_WRITER, "rotated-audit-writer-password");

        deployment.migrate();

        try (Connection connection = deployment.connect(GroupRole.PIPEDESK_AUDIT_WRITER, "rotated-audit-writer-password")) {
            assertThat(single(connection, "select current_user")).isEqualTo("pipedesk_audit_writer_login");
        }
        assertThatThrownBy(() -> deployment.connect(GroupRole.PIPEDESK_AUDIT_WRITER, before).close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void storesThePasswordAsAScramVerifierNeverInPlainText() {
        assertThat(deployment.database.count("select count(*) from pg_authid where rolname like 'pipedesk_%_login' "
                + "and rolpassword like 'SCRAM-SHA-256$%'")).isEqualTo(3);
    }

    @Test
    void refusesAUsernameThatIsNotAPlainIdentifierAndTouchesNothing() {
        String arn = deployment.secretsManager.put("pipedesk/db-login-evil",
                "{\"username\":\"x\\\" superuser; --\",\"password\":\"p\"}");

        assertThatThrownBy(() -> new DatabaseMigration(deployment.database.dataSource(), deployment.source)
                .run(Map.of(GroupRole.PIPEDESK_APP, arn)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the username must match");
    }

    @Test
    void refusesTheOwnerItRunsAsOrToLogInAsAGroupRole() {
        String owner = deployment.secretsManager.put("pipedesk/db-login-postgres",
                "{\"username\":\"postgres\",\"password\":\"taken-over\"}");
        String groupRole = deployment.secretsManager.put("pipedesk/db-login-group",
                "{\"username\":\"pipedesk_app\",\"password\":\"p\"}");
        DatabaseMigration migration = new DatabaseMigration(deployment.database.dataSource(), deployment.source);

        assertThatThrownBy(() -> migration.run(Map.of(GroupRole.PIPEDESK_APP, owner)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is a superuser").hasMessageContaining("is the user this function runs as");
        assertThatThrownBy(() -> migration.run(Map.of(GroupRole.PIPEDESK_APP, groupRole)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("group role");
        assertThat(deployment.database.count("select count(*) from pg_auth_members m join pg_roles r on r.oid = m.member "
                + "where r.rolname = 'postgres'")).isZero();
    }

    @Test
    void refusesAnOwnerLikeRoleThatIsNoSuperuserAndChangesNothing() {
        // Aurora's pipedesk_admin (a member of rds_superuser), Supabase's postgres: owners that are
        // not superusers, but can create roles.
        deployment.database.execute("create role crm_admin login createrole createdb");
        String arn = deployment.secretsManager.put("pipedesk/db-login-crm-admin",
                "{\"username\":\"crm_admin\",\"password\":\"taken-over\"}");

        assertThatThrownBy(() -> new DatabaseMigration(deployment.database.dataSource(), deployment.source)
                .run(Map.of(GroupRole.PIPEDESK_APP, arn)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("crm_admin exists and is not a plain login").hasMessageContaining("can create roles");
        assertUntouched("crm_admin");
    }

    @Test
    void refusesARoleWithAnotherMembershipOrWithMembersAndChangesNothing() {
        deployment.database.execute("create role crm_reader nologin");
        deployment.database.execute("create role reporting login in role crm_reader");
        // Supabase's anon: NOLOGIN, switched to by its API's authenticator.
        deployment.database.execute("create role api_anon nologin");
        deployment.database.execute("create role api_authenticator login in role api_anon");
        String reporting = deployment.secretsManager.put("pipedesk/db-login-reporting",
                "{\"username\":\"reporting\",\"password\":\"taken-over\"}");
        String anon = deployment.secretsManager.put("pipedesk/db-login-anon",
                "{\"username\":\"api_anon\",\"password\":\"taken-over\"}");
        DatabaseMigration migration = new DatabaseMigration(deployment.database.dataSource(), deployment.source);

        assertThatThrownBy(() -> migration.run(Map.of(GroupRole.PIPEDESK_APP, reporting)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is a member of another role");
        assertThatThrownBy(() -> migration.run(Map.of(GroupRole.PIPEDESK_APP, anon)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has members");
        assertUntouched("reporting");
        assertUntouched("api_anon");
        assertThat(deployment.database.count("select count(*) from pg_roles where rolname = 'api_anon' and rolcanlogin"))
                .isZero();
    }

    @Test
    void refusesAnExistingRoleOutsideItsGroupRoleAndChangesNothing() {
        // Another application's login that relies on its name or on PUBLIC's privileges: a plain
        // role with no membership, which this function never created.
        deployment.database.execute("create role other_app nologin");
        String arn = deployment.secretsManager.put("pipedesk/db-login-other-app",
                "{\"username\":\"other_app\",\"password\":\"taken-over\"}");

        assertThatThrownBy(() -> new DatabaseMigration(deployment.database.dataSource(), deployment.source)
                .run(Map.of(GroupRole.PIPEDESK_APP, arn)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a member of its group role");
        assertUntouched("other_app");
        assertThat(deployment.database.count("select count(*) from pg_roles where rolname = 'other_app' and rolcanlogin"))
                .isZero();
    }

    @Test
    void refusesARoleThatHoldsPrivilegesOfItsOwn() {
        deployment.database.execute("create role table_owner login");
        deployment.database.execute("grant select on calendar_events to table_owner");
        String arn = deployment.secretsManager.put("pipedesk/db-login-table-owner",
                "{\"username\":\"table_owner\",\"password\":\"taken-over\"}");

        assertThatThrownBy(() -> new DatabaseMigration(deployment.database.dataSource(), deployment.source)
                .run(Map.of(GroupRole.PIPEDESK_TIMELINE_READER, arn)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("privileges of its own");
        assertUntouched("table_owner");
    }

    @Test
    void aRefusedLoginLeavesEveryOtherLoginOfTheRunUntouched() throws SQLException {
        String before = deployment.password(GroupRole.PIPEDESK_APP);
        String rotated = deployment.secretsManager.put("pipedesk/db-login-app-rotated",
                "{\"username\":\"pipedesk_app_login\",\"password\":\"never-set\"}");
        String owner = deployment.secretsManager.put("pipedesk/db-login-owner-again",
                "{\"username\":\"postgres\",\"password\":\"taken-over\"}");

        assertThatThrownBy(() -> new DatabaseMigration(deployment.database.dataSource(), deployment.source)
                .run(Map.of(GroupRole.PIPEDESK_APP, rotated, GroupRole.PIPEDESK_AUDIT_WRITER, owner)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("postgres");

        try (Connection connection = deployment.connect(GroupRole.PIPEDESK_APP, before)) {
            assertThat(single(connection, "select current_user")).isEqualTo("pipedesk_app_login");
        }
    }

    @Test
    void aGroupRoleThatCanLogInFailsTheRun() {
        deployment.database.execute("alter role pipedesk_timeline_reader login");
        try {
            assertThatThrownBy(deployment::migrate)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pipedesk_timeline_reader must be a plain NOLOGIN role").hasMessageContaining("can log in");
        } finally {
            deployment.database.execute("alter role pipedesk_timeline_reader nologin");
        }
    }

    @Test
    void refusesOneUsernameForTwoGroupRoles() {
        String app = deployment.loginSecrets.get(GroupRole.PIPEDESK_APP);

        assertThatThrownBy(() -> new DatabaseMigration(deployment.database.dataSource(), deployment.source)
                .run(Map.of(GroupRole.PIPEDESK_APP, app, GroupRole.PIPEDESK_TIMELINE_READER, app)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("each group role needs its own login");
    }

    /** The role is a member of no group role, has no password, and its attributes are as created. */
    private static void assertUntouched(String roleName) {
        assertThat(deployment.database.count("select count(*) from pg_auth_members m join pg_roles g on g.oid = m.roleid "
                + "join pg_roles r on r.oid = m.member where r.rolname = '" + roleName + "' and g.rolname like 'pipedesk_%'"))
                .isZero();
        assertThat(deployment.database.count("select count(*) from pg_authid where rolname = '" + roleName
                + "' and rolpassword is not null")).isZero();
    }

    @Test
    void anUnknownLoginSecretFailsTheRun() {
        assertThatThrownBy(() -> new DatabaseMigration(deployment.database.dataSource(), deployment.source)
                .run(Map.of(GroupRole.PIPEDESK_APP, "arn:aws:secretsmanager:us-east-1:000000000000:secret:missing")))
                .isInstanceOf(SecretUnavailableException.class).hasMessageContaining("ResourceNotFoundException");
    }

    static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
