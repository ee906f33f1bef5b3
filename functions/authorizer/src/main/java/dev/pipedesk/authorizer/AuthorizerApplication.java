package dev.pipedesk.authorizer;

import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.auth.TokenVerifier;
import dev.pipedesk.core.Env;
import dev.pipedesk.lambda.AuthorizerShell;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The authorizer Lambda: {@code FunctionInvoker} starts this context (found through the jar's
 * {@code Start-Class}) and calls the {@code authorize} function with each HTTP API payload 2.0
 * authorizer event. Only the function catalog is auto-configured; nothing is scanned.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class AuthorizerApplication {

    @Bean
    public AuthorizerShell authorize(Environment environment) {
        Env env = Env.of(environment::getProperty, JwtSettings.VARIABLES, SecretsSettings.VARIABLES);
        JwtSettings settings = JwtSettings.fromEnv(env);
        // JWT_HS256_SECRET_ARN: read at the first HS256 token, never while this context starts.
        return new AuthorizerShell(new Authorizer(new TokenVerifier(settings, Secrets.fromEnv(env)), RoutePolicy.standard()));
    }
}
