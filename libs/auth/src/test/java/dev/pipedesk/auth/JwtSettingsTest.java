package dev.pipedesk.auth;

import dev.pipedesk.core.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtSettingsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void defaultsLeewayAndRoleClaimsAndChecksNoIssuerOrAudience() {
        JwtSettings settings = JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET", SECRET)));

        assertThat(settings.signingKey()).isEqualTo(new JwtSettings.Hs256Secret(SECRET));
        assertThat(settings.issuer()).isNull();
        assertThat(settings.audience()).isNull();
        assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.roleClaimPaths()).containsExactly("app_metadata.role", "user_role");
    }

    @Test
    void readsEveryVariable() {
        JwtSettings settings = JwtSettings.fromEnv(new Env(Map.of(
                "JWT_HS256_SECRET", SECRET,
                "JWT_ISSUER", "https://project.supabase.co/auth/v1",
                "JWT_AUDIENCE", "authenticated",
                "JWT_LEEWAY_SECONDS", "5",
                "JWT_ROLE_CLAIMS", " user_role , claims.pipedesk.role ,")));

        assertThat(settings.issuer()).isEqualTo("https://project.supabase.co/auth/v1");
        assertThat(settings.audience()).isEqualTo("authenticated");
        assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.roleClaimPaths()).containsExactly("user_role", "claims.pipedesk.role");
    }

    @Test
    void requiresTheSecret() {
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JWT_HS256_SECRET");
    }

    @Test
    void refusesASecretShorterThan256Bits() {
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET", "short-secret"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JWT_HS256_SECRET")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void refusesNegativeLeewayAndBrokenClaimPaths() {
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET", SECRET, "JWT_LEEWAY_SECONDS", "-1"))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET", SECRET, "JWT_ROLE_CLAIMS", "app_metadata..role"))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET", SECRET, "JWT_ROLE_CLAIMS", " , "))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JwtSettings.hs256(SECRET).withRoleClaimPaths(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(JwtSettings.hs256(SECRET).toString()).doesNotContain(SECRET);
    }
}
