package dev.pipedesk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditQueueSettingsTest {
    private static final String QUEUE_URL = "http://127.0.0.1:9324/000000000000/pipedesk-audit";

    @Test
    void onlyTheQueueUrlIsRequiredAndTheRegionDefaultsToUsEast1() {
        AuditQueueSettings settings = AuditQueueSettings.fromEnv(new Env(Map.of("AUDIT_QUEUE_URL", QUEUE_URL)));

        assertThat(settings).isEqualTo(new AuditQueueSettings(QUEUE_URL, "us-east-1", null, null, null, null));
        assertThat(settings.hasStaticCredentials()).isFalse();
        assertThatThrownBy(() -> AuditQueueSettings.fromEnv(new Env(Map.of()))).hasMessageContaining("AUDIT_QUEUE_URL");
    }

    @Test
    void itsEnvironmentReadsBackAsTheSameSettings() {
        AuditQueueSettings settings = new AuditQueueSettings(QUEUE_URL, "eu-west-1", URI.create("http://127.0.0.1:9324"),
                "local", "local-secret", null);

        assertThat(settings.toEnvironment().keySet()).isSubsetOf(AuditQueueSettings.VARIABLES);
        assertThat(AuditQueueSettings.fromEnv(new Env(settings.toEnvironment()))).isEqualTo(settings);
    }

    @Test
    void neverPrintsCredentials() {
        AuditQueueSettings settings = new AuditQueueSettings(QUEUE_URL, "us-east-1", null, "AKIAEXAMPLE", "secret-key",
                "session-token");

        assertThat(settings.toString()).contains(QUEUE_URL).contains("static")
                .doesNotContain("AKIAEXAMPLE").doesNotContain("secret-key").doesNotContain("session-token");
    }
}
