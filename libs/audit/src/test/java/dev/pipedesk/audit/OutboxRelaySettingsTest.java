package dev.pipedesk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxRelaySettingsTest {

    @Test
    void defaultsToFiftyRowsAndTwentySecondsAndRefusesLessThanOne() {
        assertThat(OutboxRelaySettings.fromEnv(new Env(Map.of())))
                .isEqualTo(new OutboxRelaySettings(50, Duration.ofSeconds(20)));
        assertThatThrownBy(() -> OutboxRelaySettings.fromEnv(new Env(Map.of("AUDIT_RELAY_BATCH_SIZE", "0"))))
                .hasMessage("AUDIT_RELAY_BATCH_SIZE must be at least 1, got 0");
        assertThatThrownBy(() -> OutboxRelaySettings.fromEnv(new Env(Map.of("AUDIT_RELAY_BUDGET_SECONDS", "0"))))
                .hasMessage("AUDIT_RELAY_BUDGET_SECONDS must be at least 1, got 0");
    }
}
