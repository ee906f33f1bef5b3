package dev.pipedesk.local;

import dev.pipedesk.core.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local stack's own variables: function instances, CORS, sync. */
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
    void syncsTheFunctionsDefaultCalendarsWithA30SecondBackstopByDefault() {
        LocalStackOptions.Sync sync = fromEnv(Map.of()).sync();

        assertThat(sync.calendars()).isEmpty();
        assertThat(sync.backstop()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sync.renewBefore()).isNull();
        assertThat(sync.maxChannelTtl()).isNull();
    }

    @Test
    void theTestStackCatchesADroppedNotificationWithinSeconds() {
        LocalStackOptions.Sync sync = LocalStackOptions.forTests(null).sync();

        assertThat(sync.backstop()).isEqualTo(Duration.ofSeconds(5));
        assertThat(sync.calendars()).isEmpty();
        assertThat(sync.renewBefore()).isNull();
    }

    @Test
    void readsTheSyncVariables() {
        LocalStackOptions.Sync sync = fromEnv(Map.of("GOOGLE_SYNC_CALENDARS", " primary , team@pipedesk.local,",
                "SYNC_BACKSTOP_SECONDS", "5", "CHANNEL_RENEW_BEFORE_SECONDS", "120",
                "GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS", "60")).sync();

        assertThat(sync.calendars()).containsExactly("primary", "team@pipedesk.local");
        assertThat(sync.backstop()).isEqualTo(Duration.ofSeconds(5));
        assertThat(sync.renewBefore()).isEqualTo(Duration.ofSeconds(120));
        assertThat(sync.maxChannelTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(LocalStackOptions.VARIABLES).contains("GOOGLE_SYNC_CALENDARS", "SYNC_BACKSTOP_SECONDS",
                "CHANNEL_RENEW_BEFORE_SECONDS", "GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS");
    }

    @Test
    void refusesAZeroBackstopOrChannelLifetime() {
        assertThatThrownBy(() -> fromEnv(Map.of("SYNC_BACKSTOP_SECONDS", "0"))).hasMessageContaining("SYNC_BACKSTOP_SECONDS");
        assertThatThrownBy(() -> fromEnv(Map.of("GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS", "-1")))
                .hasMessageContaining("GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS");
        assertThat(LocalStackOptions.Sync.defaults().withCalendars(List.of("a")).calendars()).containsExactly("a");
    }

    @Test
    void refusesNoInstancesAtAll() {
        assertThatThrownBy(() -> fromEnv(Map.of("LOCAL_FUNCTION_CONCURRENCY", "0")))
                .hasMessageContaining("LOCAL_FUNCTION_CONCURRENCY");
    }
}
