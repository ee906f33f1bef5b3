package dev.pipedesk.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitSettingsTest {

    @Test
    void defaultsAre600PerUserAnd300PerIpAndOffWithoutATable() {
        RateLimitSettings settings = RateLimitSettings.fromEnv(new Env(Map.of()));

        assertThat(settings).isEqualTo(new RateLimitSettings(null, 600, 300, "us-east-1", null));
        assertThat(settings.isEnabled()).isFalse();
        assertThat(RateLimitSettings.fromEnv(new Env(Map.of("RATE_LIMIT_TABLE", "limits"))).isEnabled()).isTrue();
        assertThat(RateLimitSettings.fromEnv(new Env(Map.of("RATE_LIMIT_TABLE", "limits",
                "RATE_LIMIT_USER_PER_MINUTE", "0", "RATE_LIMIT_IP_PER_MINUTE", "0"))).isEnabled()).isFalse();
    }

    @Test
    void refusesNegativeLimitsNamingTheVariable() {
        assertThatThrownBy(() -> RateLimitSettings.fromEnv(new Env(Map.of("RATE_LIMIT_USER_PER_MINUTE", "-1"))))
                .hasMessageContaining("RATE_LIMIT_USER_PER_MINUTE");
        assertThatThrownBy(() -> RateLimitSettings.fromEnv(new Env(Map.of("RATE_LIMIT_IP_PER_MINUTE", "-5"))))
                .hasMessageContaining("RATE_LIMIT_IP_PER_MINUTE");
    }

    @Test
    void itsEnvironmentReadsBackAsTheSameSettings() {
        RateLimitSettings settings = new RateLimitSettings("limits", 5, 7, "eu-west-1", URI.create("http://127.0.0.1:8000"));

        assertThat(settings.toEnvironment().keySet()).isSubsetOf(RateLimitSettings.VARIABLES);
        assertThat(RateLimitSettings.fromEnv(new Env(settings.toEnvironment()))).isEqualTo(settings);
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(new RateLimitDecision.Refused(Duration.ofMillis(14_001)).retryAfterSeconds()).isEqualTo(15);
        assertThat(new RateLimitDecision.Refused(Duration.ofSeconds(15)).retryAfterSeconds()).isEqualTo(15);
        assertThat(new RateLimitDecision.Refused(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    }
}
