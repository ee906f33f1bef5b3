package dev.pipedesk.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's DynamoDB port, and the per-user limit it passes on to the API functions. */
class LocalStackOptionsRateLimitTest {

    @Test
    void dynamoDbListensOn8000UnlessDynamoDbPortIsSet() {
        assertThat(LocalStackOptions.fromEnv(new Env(Map.of())).dynamoDbPort()).isEqualTo(8000);
        assertThat(LocalStackOptions.fromEnv(new Env(Map.of("DYNAMODB_PORT", "8123"))).dynamoDbPort()).isEqualTo(8123);
        assertThat(LocalStackOptions.forTests(null).dynamoDbPort()).isZero();
    }

    @Test
    void theShellsUserLimitReachesTheCalendarAndTimelineFunctionsOnly() {
        LocalStackOptions options = LocalStackOptions.fromEnv(new Env(Map.of("RATE_LIMIT_USER_PER_MINUTE", "0")));

        assertThat(options.functionEnvironment()).containsOnlyKeys("calendar", "timeline");
        assertThat(options.functionEnvironment().get("calendar")).containsExactly(Map.entry("RATE_LIMIT_USER_PER_MINUTE", "0"));
        assertThat(options.functionEnvironment().get("timeline")).containsExactly(Map.entry("RATE_LIMIT_USER_PER_MINUTE", "0"));
        assertThat(LocalStackOptions.fromEnv(new Env(Map.of())).functionEnvironment()).isEmpty();
    }

    @Test
    void aNegativeLimitStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> LocalStackOptions.fromEnv(new Env(Map.of("RATE_LIMIT_USER_PER_MINUTE", "-1"))))
                .hasMessageContaining("RATE_LIMIT_USER_PER_MINUTE");
    }
}
