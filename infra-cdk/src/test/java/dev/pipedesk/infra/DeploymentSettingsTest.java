package dev.pipedesk.infra;

import dev.pipedesk.infra.DeploymentSettings.AuroraDatabase;
import dev.pipedesk.infra.DeploymentSettings.ExistingDatabase;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentSettingsTest {

    private static final String ADMIN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:admin-AbCdEf";

    private static DeploymentSettings settings(String stage, Map<String, Object> context) {
        return DeploymentSettings.fromContext(stage, context::get);
    }

    private static Map<String, Object> existing(Map<String, Object> more) {
        Map<String, Object> context = new HashMap<>(Map.of("databaseUrl", "jdbc:postgresql://db.example.com:5432/postgres",
                "databaseAdminSecretArn", ADMIN));
        context.putAll(more);
        return context;
    }

    @Test
    void readsOneStageByDefaultAndSeveralFromAList() {
        assertThat(DeploymentSettings.stageNames(key -> null)).containsExactly("dev");
        assertThat(DeploymentSettings.stageNames(Map.<String, Object>of("stage", "staging, prod")::get))
                .containsExactly("staging", "prod");
        assertThatThrownBy(() -> DeploymentSettings.stageNames(Map.<String, Object>of("stage", "prod_1")::get))
                .hasMessageContaining("prod_1");
        // the RDS Proxy name pipedesk-<stage> allows no double or trailing hyphen
        for (String refused : List.of("pre--prod", "prod-", "p".repeat(32))) {
            assertThatThrownBy(() -> DeploymentSettings.stageNames(Map.<String, Object>of("stage", refused)::get))
                    .as(refused).hasMessageContaining(refused);
        }
        assertThat(DeploymentSettings.stageNames(Map.<String, Object>of("stage", "pre-prod-2," + "p".repeat(31))::get))
                .containsExactly("pre-prod-2", "p".repeat(31));
    }

    @Test
    void appliesDefaultsToAnExistingDatabase() {
        DeploymentSettings settings = settings("dev", existing(Map.of()));
        assertThat(settings.database()).isEqualTo(new ExistingDatabase("jdbc:postgresql://db.example.com:5432/postgres", ADMIN));
        assertThat(settings.throttleRatePerSecond()).isEqualTo(DeploymentSettings.DEFAULT_THROTTLE_RATE);
        assertThat(settings.throttleBurst()).isEqualTo(DeploymentSettings.DEFAULT_THROTTLE_BURST);
        assertThat(settings.auditMaxConcurrency()).isEqualTo(5);
        assertThat(settings.corsAllowedOrigins()).isEmpty();
        assertThat(settings.retainData()).isTrue();
        assertThat(settings.customDomain()).isEmpty();
    }

    @Test
    void prefersAStagesOwnValue() {
        DeploymentSettings prod = settings("prod", existing(Map.of("prod.throttleRate", "500", "throttleRate", "50")));
        DeploymentSettings dev = settings("dev", existing(Map.of("prod.throttleRate", "500", "throttleRate", "50")));
        assertThat(prod.throttleRatePerSecond()).isEqualTo(500);
        assertThat(dev.throttleRatePerSecond()).isEqualTo(50);
    }

    @Test
    void refusesCredentialsInTheDatabaseUrl() {
        for (String url : List.of("postgres://postgres:secret@db.example.com:5432/postgres",
                "jdbc:postgresql://db.example.com:5432/postgres?user=postgres&password=secret")) {
            assertThatThrownBy(() -> settings("dev", existing(Map.of("databaseUrl", url))))
                    .hasMessageContaining("databaseUrl must not hold credentials");
        }
    }

    @Test
    void requiresTheDatabaseAndItsOwnerSecretForAnExistingDatabase() {
        assertThatThrownBy(() -> settings("dev", Map.of("databaseAdminSecretArn", ADMIN))).hasMessageContaining("databaseUrl");
        assertThatThrownBy(() -> settings("dev", Map.of("databaseUrl", "jdbc:postgresql://h/db")))
                .hasMessageContaining("databaseAdminSecretArn");
        assertThatThrownBy(() -> settings("dev", existing(Map.of("databaseAdminSecretArn", "my-secret"))))
                .hasMessageContaining("ARN");
    }

    @Test
    void readsAurora() {
        DeploymentSettings settings = settings("dev", Map.of("database", "aurora", "natGateways", "2", "deletionProtection", "false"));
        assertThat(settings.database()).isEqualTo(new AuroraDatabase(2, 0.5, 4, false));
    }

    @Test
    void readsCorsOriginsAsTheLocalStackDoes() {
        DeploymentSettings settings = settings("dev", existing(Map.of(
                "corsAllowedOrigins", " https://app.example.com/, http://localhost:5173", "corsAllowCredentials", "true")));
        assertThat(settings.corsAllowedOrigins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(settings.corsAllowCredentials()).isTrue();
        assertThatThrownBy(() -> settings("dev", existing(Map.of("corsAllowedOrigins", "app.example.com"))))
                .hasMessageContaining("CORS_ALLOWED_ORIGINS");
    }

    @Test
    void refusesAnyOriginWithCredentials() {
        assertThatThrownBy(() -> settings("dev", existing(Map.of("corsAllowedOrigins", "*", "corsAllowCredentials", "true"))))
                .hasMessageContaining("may not hold *");
    }

    @Test
    void requiresIssuerAndAudienceWithAJwksUrl() {
        assertThatThrownBy(() -> settings("dev", existing(Map.of("jwtJwksUrl", "https://x.supabase.co/auth/v1/.well-known/jwks.json"))))
                .hasMessageContaining("jwtIssuer");
    }

    @Test
    void makesTheCustomDomainAnHttpsUrl() {
        assertThat(settings("dev", existing(Map.of("customDomain", "api.example.com/"))).customDomain())
                .isEqualTo(Optional.of("https://api.example.com"));
        assertThatThrownBy(() -> settings("dev", existing(Map.of("customDomain", "http://api.example.com"))))
                .hasMessageContaining("https");
    }

    @Test
    void namesTheKeyOfAValueThatDoesNotParse() {
        assertThatThrownBy(() -> settings("dev", existing(Map.of("auditMaxConcurrency", "1")))).hasMessageContaining("auditMaxConcurrency");
        assertThatThrownBy(() -> settings("dev", existing(Map.of("throttleBurst", "many")))).hasMessageContaining("throttleBurst");
        assertThatThrownBy(() -> settings("dev", existing(Map.of("retainData", "yes")))).hasMessageContaining("retainData");
        assertThatThrownBy(() -> settings("dev", Map.of("database", "rds"))).hasMessageContaining("existing or aurora");
    }

    @Test
    void readsContextArgumentsOfPipedeskSynth() {
        assertThat(PipeDeskApp.context(new String[] {"-c", "stage=prod", "--context", "databaseUrl=jdbc:postgresql://h:5432/d?a=b",
                "--context=alarmEmail=ops@example.com"}))
                .containsExactly(Map.entry("stage", "prod"), Map.entry("databaseUrl", "jdbc:postgresql://h:5432/d?a=b"),
                        Map.entry("alarmEmail", "ops@example.com"));
        assertThatThrownBy(() -> PipeDeskApp.context(new String[] {"deploy"})).hasMessageContaining("-c key=value");
        assertThatThrownBy(() -> PipeDeskApp.context(new String[] {"-c", "stage"})).hasMessageContaining("key=value");
    }
}
