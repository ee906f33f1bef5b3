package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseCredentialsTest {

    @Test
    void readsAnRdsSecretAndBuildsTheUrlFromItsHost() {
        DatabaseCredentials credentials = DatabaseCredentials.parse("""
                {"engine":"postgres","username":"pipedesk_app_login","password":"s3cr3t","host":"db.internal","port":6543,"dbname":"pipedesk"}""");

        assertThat(credentials.username()).isEqualTo("pipedesk_app_login");
        assertThat(credentials.password()).isEqualTo("s3cr3t");
        assertThat(credentials.jdbcUrl(null)).isEqualTo("jdbc:postgresql://db.internal:6543/pipedesk");
    }

    @Test
    void theConfiguredUrlWinsOverTheSecretsHost() {
        DatabaseCredentials credentials = DatabaseCredentials.parse("""
                {"username":"u","password":"p","host":"db.internal","port":"5432"}""");

        assertThat(credentials.jdbcUrl("jdbc:postgresql://proxy.example.com:5432/pipedesk"))
                .isEqualTo("jdbc:postgresql://proxy.example.com:5432/pipedesk");
        assertThat(credentials.jdbcUrl(null)).isEqualTo("jdbc:postgresql://db.internal:5432/postgres");
    }

    @Test
    void aSecretWithoutHostNeedsTheUrl() {
        DatabaseCredentials credentials = DatabaseCredentials.parse("{\"username\":\"u\",\"password\":\"p\"}");

        assertThatThrownBy(() -> credentials.jdbcUrl(null)).hasMessageContaining("DATABASE_URL");
    }

    @Test
    void refusesASecretWithoutUsernameOrPasswordWithoutShowingIt() {
        assertThatThrownBy(() -> DatabaseCredentials.parse("{\"username\":\"u\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no password");
        assertThatThrownBy(() -> DatabaseCredentials.parse("not-json-but-a-password"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not-json-but-a-password");
        assertThatThrownBy(() -> DatabaseCredentials.parse("{\"username\":\"u\",\"password\":\"p\",\"host\":\"h/evil?x=1\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(DatabaseCredentials.parse("{\"username\":\"u\",\"password\":\"hunter2-secret\"}").toString())
                .doesNotContain("hunter2-secret");
    }
}
