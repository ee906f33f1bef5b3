package dev.pipedesk.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationSettingsTest {
    private static final String ADMIN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipedesk/db-admin-AbCdEf";

    @Test
    void readsTheAdminSecretAndOneLoginSecretPerGroupRole() {
        MigrationSettings settings = MigrationSettings.fromEnv(new Env(Map.of(
                "DATABASE_SECRET_ARN", ADMIN,
                "DATABASE_LOGIN_SECRET_ARNS", " pipedesk_app=arn:a , pipedesk_audit_writer=arn:b,pipedesk_timeline_reader=arn:c,")));

        assertThat(settings.database().secretArn()).isEqualTo(ADMIN);
        assertThat(settings.database().jdbcUrl()).isNull();
        assertThat(settings.loginSecrets()).containsExactly(
                Map.entry(GroupRole.PIPEDESK_APP, "arn:a"),
                Map.entry(GroupRole.PIPEDESK_AUDIT_WRITER, "arn:b"),
                Map.entry(GroupRole.PIPEDESK_TIMELINE_READER, "arn:c"));
    }

    @Test
    void withoutLoginSecretsOnlyMigrates() {
        assertThat(MigrationSettings.fromEnv(new Env(Map.of("DATABASE_SECRET_ARN", ADMIN))).loginSecrets()).isEmpty();
    }

    @Test
    void refusesAnUnknownRoleAPairWithoutArnAndARoleNamedTwice() {
        assertThatThrownBy(() -> settings("postgres=arn:a"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'postgres' is not a group role");
        assertThatThrownBy(() -> settings("pipedesk_app"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no secret ARN");
        assertThatThrownBy(() -> settings("pipedesk_app=arn:a,pipedesk_app=arn:b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("named twice");
    }

    private static MigrationSettings settings(String logins) {
        return MigrationSettings.fromEnv(new Env(Map.of("DATABASE_SECRET_ARN", ADMIN, "DATABASE_LOGIN_SECRET_ARNS", logins)));
    }
}
