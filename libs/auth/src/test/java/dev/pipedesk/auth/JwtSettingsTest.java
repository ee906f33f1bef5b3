package dev.pipedesk.auth;

import dev.pipedesk.core.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtSettingsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void defaultsLeewayAndRoleClaimsAndChecksNoIssuerOrAudience() {
        JwtSettings settings = JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET", SECRET)));

        assertThat(settings.signingKeys()).containsExactly(new JwtSettings.Hs256Secret(SECRET));
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
    void requiresTheSecretOrAJwksUrl() {
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JWT_HS256_SECRET")
                .hasMessageContaining("JWT_JWKS_URL");
    }

    @Test
    void readsAJwksUrlWithItsIssuerAndAudience() {
        JwtSettings settings = JwtSettings.fromEnv(new Env(Map.of(
                "JWT_JWKS_URL", "https://project.supabase.co/auth/v1/.well-known/jwks.json",
                "JWT_ISSUER", "https://project.supabase.co/auth/v1",
                "JWT_AUDIENCE", "authenticated")));

        assertThat(settings.jwksUrl()).contains(new JwtSettings.JwksUrl(
                URI.create("https://project.supabase.co/auth/v1/.well-known/jwks.json")));
        assertThat(settings.hs256Secret()).isEmpty();
        assertThat(settings.issuer()).isEqualTo("https://project.supabase.co/auth/v1");
        assertThat(settings.audience()).isEqualTo("authenticated");
    }

    @Test
    void acceptsAJwksUrlAndASecretTogether() {
        JwtSettings settings = JwtSettings.fromEnv(new Env(Map.of(
                "JWT_HS256_SECRET", SECRET,
                "JWT_JWKS_URL", "https://idp.example/jwks.json",
                "JWT_ISSUER", "https://idp.example",
                "JWT_AUDIENCE", "pipedesk")));

        assertThat(settings.hs256Secret()).contains(new JwtSettings.Hs256Secret(SECRET));
        assertThat(settings.jwksUrl()).isPresent();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {"-, -", "https://idp.example, -", "-, pipedesk"})
    void refusesToStartWithAJwksUrlButNoIssuerOrAudience(String issuer, String audience) {
        Map<String, String> env = new HashMap<>(Map.of("JWT_HS256_SECRET", SECRET, "JWT_JWKS_URL", "https://idp.example/jwks.json"));
        if (issuer != null) {
            env.put("JWT_ISSUER", issuer);
        }
        if (audience != null) {
            env.put("JWT_AUDIENCE", audience);
        }

        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(env)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JWT_ISSUER").hasMessageContaining("JWT_AUDIENCE");
        assertThatThrownBy(() -> JwtSettings.jwks(URI.create("https://idp.example/jwks.json"), issuer, audience))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example/jwks.json", "ftp://idp.example/jwks.json", "/jwks.json", "not a url",
            "https://user:pw@idp.example/jwks.json"})
    void refusesAJwksUrlThatIsNotHttpsOrLocal(String url) {
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of("JWT_JWKS_URL", url, "JWT_ISSUER", "i", "JWT_AUDIENCE", "a"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("JWT_JWKS_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:3000/.well-known/jwks.json", "http://localhost:4000/jwks.json"})
    void acceptsPlainHttpToThisMachine(String url) {
        assertThat(JwtSettings.jwks(URI.create(url), "i", "a").jwksUrl()).isPresent();
    }

    @Test
    void takesAtMostOneKeyOfEachKind() {
        assertThatThrownBy(() -> new JwtSettings(List.of(new JwtSettings.Hs256Secret(SECRET), new JwtSettings.Hs256Secret(SECRET + "2")),
                null, null, Duration.ZERO, JwtSettings.DEFAULT_ROLE_CLAIM_PATHS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JwtSettings(List.of(), null, null, Duration.ZERO, JwtSettings.DEFAULT_ROLE_CLAIM_PATHS))
                .isInstanceOf(IllegalArgumentException.class);
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

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipedesk/jwt-AbCdEf";

    @Test
    void takesTheHs256SecretAsASecretsManagerArn() {
        JwtSettings settings = JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET_ARN", ARN)));

        assertThat(settings.signingKeys()).containsExactly(new JwtSettings.Hs256SecretArn(ARN));
        assertThat(settings.hs256Secret()).isEmpty();
        assertThat(settings.hs256SecretArn()).contains(new JwtSettings.Hs256SecretArn(ARN));
    }

    @Test
    void refusesToStartWithTheHs256SecretBothAsValueAndAsArn() {
        assertThatThrownBy(() -> JwtSettings.fromEnv(new Env(Map.of("JWT_HS256_SECRET", SECRET, "JWT_HS256_SECRET_ARN", ARN))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JWT_HS256_SECRET and JWT_HS256_SECRET_ARN are both set");
        assertThatThrownBy(() -> new JwtSettings(List.of(new JwtSettings.Hs256Secret(SECRET), new JwtSettings.Hs256SecretArn(ARN)),
                null, null, Duration.ZERO, JwtSettings.DEFAULT_ROLE_CLAIM_PATHS))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
