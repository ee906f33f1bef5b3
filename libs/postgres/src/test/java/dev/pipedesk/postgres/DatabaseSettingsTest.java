package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;

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
}
