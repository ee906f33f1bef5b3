package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void readsALibpqUrlWithItsCredentials() {
        DatabaseSettings settings = DatabaseSettings.fromEnv(new Env(Map.of(
                DatabaseSettings.Variable.DATABASE_URL.name(), "postgres://app:p%40ss@db.example.com/pipedesk?sslmode=require")));

        assertThat(settings).isEqualTo(new DatabaseSettings("jdbc:postgresql://db.example.com:5432/pipedesk?sslmode=require",
                "app", "p@ss", DatabaseSettings.DEFAULT_POOL_SIZE));
    }

    @Test
    void itsEnvironmentReadsBackAsTheSameSettings() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://localhost:5432/pipedesk", "pipedesk_audit_writer",
                "secret", 4);

        assertThat(settings.toEnvironment().keySet()).isSubsetOf(DatabaseSettings.VARIABLES);
        assertThat(DatabaseSettings.fromEnv(new Env(settings.toEnvironment()))).isEqualTo(settings);
    }

    @Test
    void credentialsLeftOutStayUnset() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://localhost:5432/pipedesk", null, null, 2);

        assertThat(settings.toEnvironment()).containsOnlyKeys("DATABASE_URL", "DATABASE_POOL_SIZE");
    }

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipedesk/db-app-AbCdEf";

    @Test
    void takesTheCredentialsFromASecretWithoutUrl() {
        DatabaseSettings settings = DatabaseSettings.fromEnv(new Env(Map.of("DATABASE_SECRET_ARN", ARN)));

        assertThat(settings).isEqualTo(DatabaseSettings.fromSecret(null, ARN, DatabaseSettings.DEFAULT_POOL_SIZE));
        assertThat(settings.toString()).contains(ARN);
    }

    @Test
    void aSecretWithAUrlKeepsTheUrlsHost() {
        DatabaseSettings settings = DatabaseSettings.fromEnv(new Env(Map.of("DATABASE_SECRET_ARN", ARN,
                "DATABASE_URL", "postgres://proxy.example.com/pipedesk?sslmode=require", "DATABASE_POOL_SIZE", "3")));

        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://proxy.example.com:5432/pipedesk?sslmode=require");
        assertThat(settings.user()).isNull();
        assertThat(settings.secretArn()).isEqualTo(ARN);
        assertThat(DatabaseSettings.fromEnv(new Env(settings.toEnvironment()))).isEqualTo(settings);
    }

    @Test
    void refusesASecretBesidePlainCredentials() {
        assertThatThrownBy(() -> DatabaseSettings.fromEnv(new Env(Map.of("DATABASE_SECRET_ARN", ARN,
                "DATABASE_URL", "jdbc:postgresql://db:5432/pipedesk", "DATABASE_PASSWORD", "plain"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DATABASE_SECRET_ARN and DATABASE_PASSWORD are both set");
        assertThatThrownBy(() -> DatabaseSettings.fromEnv(new Env(Map.of("DATABASE_SECRET_ARN", ARN,
                "DATABASE_URL", "postgres://u:p@db/pipedesk"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must carry no credentials");
    }

    @Test
    void withoutSecretTheUrlIsRequired() {
        assertThatThrownBy(() -> DatabaseSettings.fromEnv(new Env(Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("DATABASE_URL");
    }
}
