package dev.pipedesk.local;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.pipedesk.auth.Es256KeyPair;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.TokenVerifier;
import dev.pipedesk.core.Env;
import dev.pipedesk.local.jwt.LocalTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./pipedesk token}: the same secret, claims and key as the local stack's own tokens. */
class TokenCommandTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JwtSettings LOCAL_DEFAULTS = JwtSettings.hs256(LocalStackOptions.LOCAL_JWT_SECRET)
            .withIssuer(LocalStackOptions.LOCAL_JWT_ISSUER).withAudience(LocalStackOptions.LOCAL_JWT_AUDIENCE);

    @TempDir
    Path repo;

    private String token(Map<String, String> env, String... args) {
        return TokenCommand.token(args, new Env(env), repo, CLOCK);
    }

    @Test
    void signsAnHs256TokenWithTheLocalDefaults() {
        String token = token(Map.of(), "--role", "sales");

        assertThat(new TokenVerifier(LOCAL_DEFAULTS, CLOCK).verify("Bearer " + token))
                .isEqualTo(new Principal("local-sales", "sales@pipedesk.local", Role.SALES));
        assertThat(JWT.decode(token).getExpiresAtAsInstant()).isEqualTo(NOW.plus(LocalTokens.TOKEN_TTL));
    }

    @Test
    void takesTheUserEmailAndTheShellsSecretIssuerAndAudience() {
        String secret = "another-local-secret-0123456789abcdef";
        String token = token(Map.of("JWT_HS256_SECRET", secret, "JWT_ISSUER", "https://idp.example", "JWT_AUDIENCE", "pipedesk"),
                "--role", "manager", "--sub", "user-42", "--email", "ana@example.com");

        JwtSettings expected = JwtSettings.hs256(secret).withIssuer("https://idp.example").withAudience("pipedesk");
        assertThat(new TokenVerifier(expected, CLOCK).verify("Bearer " + token))
                .isEqualTo(new Principal("user-42", "ana@example.com", Role.MANAGER));
    }

    @Test
    void signsWithTheLocalEs256KeyWhenAsked() {
        String token = token(Map.of("LOCAL_JWT_ALG", "ES256"), "--role", "admin", "--email", "");

        Es256KeyPair key = LocalTokens.loadOrCreateKey(LocalTokens.keyFile(repo));
        DecodedJWT jwt = JWT.decode(token);
        assertThat(jwt.getAlgorithm()).isEqualTo("ES256");
        assertThat(jwt.getKeyId()).isEqualTo(key.keyId());
        assertThat(jwt.getClaim("email").isMissing()).isTrue();
        Algorithm.ECDSA256(key.publicKey(), null).verify(jwt);
    }

    @Test
    void writesAnyRoleValueSoRefusalsCanBeTried() {
        String token = token(Map.of(), "--role", "authenticated");

        assertThat(JWT.decode(token).getClaim("app_metadata").asMap()).isEqualTo(Map.of("role", "authenticated"));
    }

    @Test
    void refusesMissingOrUnknownArguments() {
        assertThatThrownBy(() -> token(Map.of(), "--sub", "u")).hasMessageContaining("--role is required");
        assertThatThrownBy(() -> token(Map.of(), "--role")).hasMessageContaining("--role needs a value");
        assertThatThrownBy(() -> token(Map.of(), "--role", "sales", "--ttl", "5")).hasMessageContaining("unknown argument '--ttl'");
        assertThatThrownBy(() -> token(Map.of("LOCAL_JWT_ALG", "none"), "--role", "sales")).hasMessageContaining("LOCAL_JWT_ALG");
    }

    @Test
    void theTokenLivesAsLongAsTheBanners() {
        assertThat(LocalTokens.TOKEN_TTL).isEqualTo(Duration.ofHours(12)).isEqualTo(LocalStack.BANNER_TOKEN_TTL);
    }
}
