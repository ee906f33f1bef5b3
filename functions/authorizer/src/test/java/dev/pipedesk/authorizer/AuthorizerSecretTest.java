package dev.pipedesk.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.TokenIssuer;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.localaws.LocalSecretsManager;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.testing.LambdaFunctionHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The authorizer as deployed in AWS: the HS256 secret in Secrets Manager
 * ({@code JWT_HS256_SECRET_ARN}, the stand-in driven by the real SDK client), read at the first
 * token — not while the function starts — and kept for the TTL.
 */
@Tag("integration")
class AuthorizerSecretTest {
    private static final String SECRET = "authorizer-secret-from-secrets-manager-0123456789";

    private static LocalSecretsManager secretsManager;
    private static LambdaFunctionHarness function;
    private static int readsWhileStarting;

    @BeforeAll
    static void start() {
        secretsManager = LocalSecretsManager.start();
        String arn = secretsManager.put("pipedesk/jwt-hs256", SECRET);
        function = LambdaFunctionHarness.start(AuthorizerApplication.class, Map.of(
                JwtSettings.Variable.JWT_HS256_SECRET_ARN.name(), arn,
                "aws.region", LocalSecretsManager.REGION,
                "aws.accessKeyId", "local",
                "aws.secretAccessKey", "local",
                "aws.endpointUrlSecretsManager", secretsManager.endpoint().toString()));
        readsWhileStarting = secretsManager.reads();
    }

    @AfterAll
    static void stop() {
        function.close();
        secretsManager.close();
    }

    private static JsonNode authorize(String token) {
        var event = EventLoader.loadAPIGatewayV2CustomAuthorizerEvent("events/authorizer-request.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + token);
        event.setHeaders(headers);
        event.setIdentitySource(List.of("Bearer " + token));
        return Json.MAPPER.readTree(function.invoke(LambdaEventJson.write(event)));
    }

    @Test
    void verifiesTokensWithTheSecretReadAtTheFirstTokenOnly() {
        Secrets.forgetAll();
        int readsAtStart = secretsManager.reads();
        String token = new TokenIssuer(JwtSettings.hs256(SECRET)).issue("user-1", "a@example.com", "admin", Duration.ofMinutes(5));

        assertThat(authorize(token).get("isAuthorized").asBoolean()).isTrue();
        assertThat(authorize(token).get("isAuthorized").asBoolean()).isTrue();
        assertThat(secretsManager.reads()).isEqualTo(readsAtStart + 1);
    }

    @Test
    void neverReadsTheSecretWhileTheFunctionStarts() {
        assertThat(readsWhileStarting).isZero();
    }

    @Test
    void deniesATokenSignedWithAnotherSecret() {
        String forged = new TokenIssuer(JwtSettings.hs256("another-secret-entirely-0123456789abcdef"))
                .issue("user-1", "a@example.com", "admin", Duration.ofMinutes(5));

        assertThat(authorize(forged).get("isAuthorized").asBoolean()).isFalse();
    }
}
