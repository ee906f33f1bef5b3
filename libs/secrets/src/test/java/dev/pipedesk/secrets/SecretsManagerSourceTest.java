package dev.pipedesk.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.localaws.LocalSecretsManager;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The real SDK client against the local Secrets Manager stand-in (JSON 1.1 over HTTP). */
@Tag("integration")
class SecretsManagerSourceTest {
    private static LocalSecretsManager secretsManager;
    private static SecretsManagerSource source;

    @BeforeAll
    static void start() {
        secretsManager = LocalSecretsManager.start();
        source = SecretsManagerSource.at(secretsManager.endpoint(), builder -> builder
                .region(Region.of(LocalSecretsManager.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))));
    }

    @AfterAll
    static void stop() {
        source.close();
        secretsManager.close();
    }

    @Test
    void readsASecretStringByArnAndByName() {
        String json = "{\"username\":\"pipedesk_app_login\",\"password\":\"p\\\"w\\\\d\"}";
        String arn = secretsManager.put("pipedesk/db-app", json);

        assertThat(source.read(arn)).isEqualTo(json);
        assertThat(source.read("pipedesk/db-app")).isEqualTo(json);
    }

    @Test
    void anUnknownSecretIsUnavailableNamingTheErrorButNoValue() {
        assertThatThrownBy(() -> source.read("arn:aws:secretsmanager:us-east-1:000000000000:secret:missing"))
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("ResourceNotFoundException")
                .hasCauseInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aRotatedSecretIsTakenUpAfterInvalidation() {
        String arn = secretsManager.put("pipedesk/jwt", "first-secret-value-0123456789abcdef");
        RefreshingSecret<String> secret = new Secrets(source, SecretsSettings.defaults(), Clock.systemUTC()).secret(arn);
        assertThat(secret.get()).isEqualTo("first-secret-value-0123456789abcdef");
        int readsSoFar = secretsManager.reads();

        secretsManager.put("pipedesk/jwt", "second-secret-value-0123456789abcdef");
        assertThat(secret.get()).isEqualTo("first-secret-value-0123456789abcdef");
        secret.invalidate();

        assertThat(secret.get()).isEqualTo("second-secret-value-0123456789abcdef");
        assertThat(secretsManager.reads()).isEqualTo(readsSoFar + 1);
    }
}
