package dev.pipedesk.authorizer;

import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.auth.JwtSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The authorizer's cold start (FunctionInvoker builds the context and the function) refuses unsafe settings. */
class AuthorizerStartupTest {

    @Test
    void refusesToStartWithAJwksUrlButWithoutIssuerAndAudience() {
        Map<String, String> jwksWithoutIssuer = Map.of(
                JwtSettings.Variable.JWT_JWKS_URL.name(), "https://project.supabase.co/auth/v1/.well-known/jwks.json",
                JwtSettings.Variable.JWT_AUDIENCE.name(), "authenticated");

        assertThatThrownBy(() -> start(jwksWithoutIssuer))
                .hasStackTraceContaining("JWT_ISSUER and JWT_AUDIENCE are required");
    }

    @Test
    void startsWithAJwksUrlIssuerAndAudience() {
        Map<String, String> jwks = Map.of(
                JwtSettings.Variable.JWT_JWKS_URL.name(), "https://project.supabase.co/auth/v1/.well-known/jwks.json",
                JwtSettings.Variable.JWT_ISSUER.name(), "https://project.supabase.co/auth/v1",
                JwtSettings.Variable.JWT_AUDIENCE.name(), "authenticated");

        assertThat(start(jwks)).isTrue();
    }

    private static boolean start(Map<String, String> configuration) {
        LambdaFunctionHarness function = null;
        try {
            function = LambdaFunctionHarness.start(AuthorizerApplication.class, configuration);
            return true;
        } finally {
            if (function != null) {
                function.close();
            } else {
                configuration.keySet().forEach(System::clearProperty);
                System.clearProperty("MAIN_CLASS");
            }
        }
    }
}
