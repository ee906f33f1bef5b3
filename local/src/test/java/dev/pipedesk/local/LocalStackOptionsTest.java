package dev.pipedesk.local;

import dev.pipedesk.core.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @Test
    void theAuditQueueMappingTakesOneReceiveOfTenPerInvocationByDefault() {
        assertThat(fromEnv(Map.of()).auditBatching()).isEqualTo(new LocalStackOptions.AuditBatching(10, Duration.ZERO));
        assertThat(LocalStackOptions.forTests(null).auditBatching()).isEqualTo(LocalStackOptions.AuditBatching.defaults());
    }

    @Test
    void readsTheAuditBatchSizeAndBatchingWindow() {
        LocalStackOptions options = fromEnv(Map.of("LOCAL_AUDIT_BATCH_SIZE", "10000", "LOCAL_AUDIT_BATCHING_WINDOW_MS", "500"));

        assertThat(options.auditBatching()).isEqualTo(new LocalStackOptions.AuditBatching(10_000, Duration.ofMillis(500)));
        assertThat(LocalStackOptions.VARIABLES).contains("LOCAL_AUDIT_BATCH_SIZE", "LOCAL_AUDIT_BATCHING_WINDOW_MS");
    }

    @Test
    void refusesAuditBatchesLambdaWouldRefuse() {
        assertThatThrownBy(() -> fromEnv(Map.of("LOCAL_AUDIT_BATCH_SIZE", "10001", "LOCAL_AUDIT_BATCHING_WINDOW_MS", "500")))
                .hasMessageContaining("LOCAL_AUDIT_BATCH_SIZE").hasMessageContaining("1..10000");
        assertThatThrownBy(() -> fromEnv(Map.of("LOCAL_AUDIT_BATCH_SIZE", "0"))).hasMessageContaining("LOCAL_AUDIT_BATCH_SIZE");
        assertThatThrownBy(() -> fromEnv(Map.of("LOCAL_AUDIT_BATCH_SIZE", "250")))
                .hasMessageContaining("needs LOCAL_AUDIT_BATCHING_WINDOW_MS above 0");
        assertThatThrownBy(() -> fromEnv(Map.of("LOCAL_AUDIT_BATCHING_WINDOW_MS", "300001")))
                .hasMessageContaining("LOCAL_AUDIT_BATCHING_WINDOW_MS");
        assertThat(fromEnv(Map.of("LOCAL_AUDIT_BATCHING_WINDOW_MS", "200")).auditBatching().batchSize()).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DATABASE_SECRET_ARN", "JWT_HS256_SECRET_ARN"})
    void refusesSecretsManagerArnsWhichAreForAwsOnly(String variable) {
        assertThatThrownBy(() -> LocalStackOptions.fromEnv(new Env(Map.of(
                        variable, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(variable + " is for AWS");
    }
}
