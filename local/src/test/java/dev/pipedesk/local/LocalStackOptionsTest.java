package dev.pipedesk.local;

import dev.pipedesk.core.Env;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local stack's own variables: function instances and CORS. */
class LocalStackOptionsTest {

    private static LocalStackOptions fromEnv(Map<String, String> values) {
        return LocalStackOptions.fromEnv(new Env(values));
    }

    @Test
    void startsUpToTwoInstancesPerFunctionAndEightInAllWithoutCorsByDefault() {
        LocalStackOptions options = fromEnv(Map.of());

        assertThat(options.instances()).isEqualTo(new LocalStackOptions.FunctionInstances(2, 8));
        assertThat(options.cors().enabled()).isFalse();
        assertThat(options.logDir()).isNull();
    }

    @Test
    void readsTheInstanceLimitsAndTheAllowedOrigins() {
        LocalStackOptions options = fromEnv(Map.of("LOCAL_FUNCTION_CONCURRENCY", "3", "LOCAL_MAX_FUNCTION_INSTANCES", "5",
                "CORS_ALLOWED_ORIGINS", "http://localhost:5173"));

        assertThat(options.instances()).isEqualTo(new LocalStackOptions.FunctionInstances(3, 5));
        assertThat(options.cors().allowedOrigins()).containsExactly("http://localhost:5173");
        assertThat(LocalStackOptions.VARIABLES).contains("LOCAL_FUNCTION_CONCURRENCY", "LOCAL_MAX_FUNCTION_INSTANCES",
                "CORS_ALLOWED_ORIGINS");
    }

    @Test
    void refusesNoInstancesAtAll() {
        assertThatThrownBy(() -> fromEnv(Map.of("LOCAL_FUNCTION_CONCURRENCY", "0")))
                .hasMessageContaining("LOCAL_FUNCTION_CONCURRENCY");
    }
}
