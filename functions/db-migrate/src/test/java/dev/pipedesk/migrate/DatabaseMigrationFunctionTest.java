package dev.pipedesk.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Json;
import dev.pipedesk.localaws.LocalSecretsManager;
import dev.pipedesk.testing.LambdaFunctionHarness;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code migrateDatabase} function as Lambda runs it (FunctionInvoker), configured as the CDK
 * app configures it: no {@code DATABASE_URL}, the admin secret with host, port and dbname, one
 * login secret per group role, Secrets Manager reached through the SDK's own endpoint setting.
 */
@Tag("integration")
class DatabaseMigrationFunctionTest {
    private static DeploymentDatabase deployment;

    @BeforeAll
    static void start() {
        deployment = new DeploymentDatabase();
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    private static Map<String, String> configuration(String loginSecretArns) {
        String admin = deployment.secretsManager.put("pipedesk/db-admin", "{\"username\":\"postgres\",\"password\":\"unused\","
                + "\"host\":\"localhost\",\"port\":" + deployment.database.port() + ",\"dbname\":\"postgres\",\"engine\":\"postgres\"}");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATABASE_SECRET_ARN", admin);
        env.put("DATABASE_LOGIN_SECRET_ARNS", loginSecretArns);
        // The SDK's own settings (AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER, ... as system properties).
        env.put("aws.region", LocalSecretsManager.REGION);
        env.put("aws.accessKeyId", "local");
        env.put("aws.secretAccessKey", "local");
        env.put("aws.endpointUrlSecretsManager", deployment.secretsManager.endpoint().toString());
        return env;
    }

    @Test
    void migratesAndCreatesTheLoginsAnsweringASummary() {
        String logins = deployment.loginSecrets.entrySet().stream()
                .map(e -> e.getKey().roleName() + "=" + e.getValue()).collect(Collectors.joining(","));
        JsonNode summary;
        try (LambdaFunctionHarness function = LambdaFunctionHarness.start(DatabaseMigrationApplication.class,
                configuration(logins))) {
            summary = Json.MAPPER.readTree(function.invoke("{\"RequestType\":\"Create\"}"));
            JsonNode again = Json.MAPPER.readTree(function.invoke("{}"));
            assertThat(again.path("migrationsApplied").asInt()).isZero();
        }

        assertThat(summary.path("migrationsApplied").asInt()).isGreaterThanOrEqualTo(9);
        assertThat(summary.path("logins")).hasSize(3);
        assertThat(summary.toString()).doesNotContain("initial-pipedesk_app-password");
        assertThat(deployment.database.count("select count(*) from pg_roles where rolname like 'pipedesk_%_login' and rolcanlogin"))
                .isEqualTo(3);
    }

    @Test
    void failsTheInvocationWhenALoginSecretCannotBeRead() {
        try (LambdaFunctionHarness function = LambdaFunctionHarness.start(DatabaseMigrationApplication.class,
                configuration("pipedesk_app=arn:aws:secretsmanager:us-east-1:000000000000:secret:missing"))) {
            assertThatThrownBy(() -> function.invoke("{}")).hasStackTraceContaining("ResourceNotFoundException");
        }
    }
}
