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
    void refusesToRePasswordASuperuserOrToLogInAsAGroupRole() {
        String superuser = deployment.secretsManager.put("pipedesk/db-login-postgres",
                "{\"username\":\"postgres\",\"password\":\"taken-over\"}");
        String groupRole = deployment.secretsManager.put("pipedesk/db-login-group",
                "{\"username\":\"pipedesk_app\",\"password\":\"p\"}");
        DatabaseMigration migration = new DatabaseMigration(deployment.database.dataSource(), deployment.source);

        assertThatThrownBy(() -> migration.run(Map.of(GroupRole.PIPEDESK_APP, superuser)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is a superuser");
        assertThatThrownBy(() -> migration.run(Map.of(GroupRole.PIPEDESK_APP, groupRole)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("group role");
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
