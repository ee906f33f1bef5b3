package dev.pipedesk.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsSettingsTest {

    @Test
    void keepsSecretsFiveMinutesByDefault() {
        assertThat(SecretsSettings.fromEnv(new Env(Map.of())).cacheTtl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void readsTheTtl() {
        assertThat(SecretsSettings.fromEnv(new Env(Map.of("SECRETS_CACHE_TTL_SECONDS", "60"))).cacheTtl())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesATtlBelowOneSecond() {
        assertThatThrownBy(() -> SecretsSettings.fromEnv(new Env(Map.of("SECRETS_CACHE_TTL_SECONDS", "0"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SECRETS_CACHE_TTL_SECONDS");
    }
}
