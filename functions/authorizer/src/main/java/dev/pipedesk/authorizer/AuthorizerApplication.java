package dev.pipedesk.authorizer;

import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.auth.TokenVerifier;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.AuthorizerResponse;
import dev.pipedesk.lambda.AuthorizerShell;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.lambda.Priming;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The authorizer Lambda: {@code FunctionInvoker} starts this context (found through the jar's
 * {@code Start-Class}) and calls the {@code authorize} function with each HTTP API payload 2.0
 * authorizer event. Only the function catalog is auto-configured; nothing is scanned.
 *
 * <p>SnapStart ({@link #snapStart}): primed with an event whose token is refused for its algorithm
 * ({@code none}) before any key is looked up: no JWKS fetch, no secret read.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class AuthorizerApplication {

    @Bean
    public AuthorizerShell authorize(Environment environment) {
        Env env = Env.of(environment::getProperty, JwtSettings.VARIABLES, SecretsSettings.VARIABLES);
        JwtSettings settings = JwtSettings.fromEnv(env);
        // JWT_HS256_SECRET_ARN: read at the first HS256 token, never while this context starts.
        AuthorizerShell shell = new AuthorizerShell(new Authorizer(new TokenVerifier(settings, Secrets.fromEnv(env)),
                RoutePolicy.standard()));
        SnapStartHooks.register(snapStart(shell));
        return shell;
    }

    /** The function's SnapStart hooks (docs/architecture.md, "SnapStart"): its only state to reset is the cached secret. */
    static SnapStartResource snapStart(AuthorizerShell shell) {
        return SnapStartResource.forFunction("authorizer")
                .prime("event with a token refused before any key lookup", () -> {
                    AuthorizerResponse answer = shell.apply(Priming.event(AuthorizerApplication.class, "priming/event.json"));
                    Json.write(answer);
                    if (answer.isAuthorized()) {
                        throw new IllegalStateException("The priming token was accepted");
                    }
                })
                .prime("allowing answer rendered", () -> Json.write(AuthorizerResponse.allow(
                        Map.of("userId", "snapstart-priming", "email", "priming@example.com", "role", "viewer"))))
                .afterRestore("cached secrets forgotten", Secrets::forgetAll)
                .build();
    }
}
