package dev.pipedesk.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

    @Test
    void jsonOnlyWhenLambdasLogFormatIsJson() {
        assertThat(LogSettings.fromEnv(new Env(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON"))).json()).isTrue();
        assertThat(LogSettings.fromEnv(new Env(Map.of("AWS_LAMBDA_LOG_FORMAT", "Text"))).json()).isFalse();
        assertThat(LogSettings.fromEnv(new Env(Map.of())).json()).isFalse();
    }
}
