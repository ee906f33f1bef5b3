package dev.pipedesk.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenIssuerTest {
    private static final String SECRET = "test-secret-test-secret-test-secret!";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void issuesSupabaseShapedHs256Tokens() {
        String token = new TokenIssuer(JwtSettings.hs256(SECRET), CLOCK)
                .issue("user-1", "ana@example.com", "sales", Duration.ofMinutes(30));

        DecodedJWT jwt = JWT.decode(token);
        assertThat(jwt.getAlgorithm()).isEqualTo("HS256");
        assertThat(jwt.getSubject()).isEqualTo("user-1");
        assertThat(jwt.getClaim("email").asString()).isEqualTo("ana@example.com");
        assertThat(jwt.getClaim("app_metadata").asMap()).isEqualTo(Map.of("role", "sales"));
        assertThat(jwt.getIssuedAtAsInstant()).isEqualTo(NOW);
        assertThat(jwt.getExpiresAtAsInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(jwt.getIssuer()).isNull();
        assertThat(jwt.getAudience()).isNull();
    }

    @Test
    void addsIssuerAndAudienceWhenConfigured() {
        JwtSettings settings = JwtSettings.hs256(SECRET).withIssuer("https://auth.pipedesk.dev").withAudience("authenticated");
        DecodedJWT jwt = JWT.decode(new TokenIssuer(settings, CLOCK).issue("u", null, "viewer", Duration.ofHours(1)));

        assertThat(jwt.getIssuer()).isEqualTo("https://auth.pipedesk.dev");
        assertThat(jwt.getAudience()).containsExactly("authenticated");
        assertThat(jwt.getClaim("email").isMissing()).isTrue();
    }

    @Test
    void issuedTokensVerifyWithTheSameSettings() {
        JwtSettings settings = JwtSettings.hs256(SECRET).withIssuer("https://auth.pipedesk.dev").withAudience("authenticated");
        String token = new TokenIssuer(settings, CLOCK).issue("user-9", "bo@example.com", "superadmin", Duration.ofMinutes(5));

        assertThat(new TokenVerifier(settings, CLOCK).verify("Bearer " + token))
                .isEqualTo(new Principal("user-9", "bo@example.com", Role.ADMIN));
    }

    @Test
    void issuedTokensExpire() {
        String token = new TokenIssuer(JwtSettings.hs256(SECRET), CLOCK).issue("u", null, "admin", Duration.ofMinutes(5));
        Clock later = Clock.fixed(NOW.plus(Duration.ofMinutes(5)).plusSeconds(61), ZoneOffset.UTC);

        assertThat(new TokenVerifier(JwtSettings.hs256(SECRET), later).check("Bearer " + token))
                .isEqualTo(new VerificationResult.Rejected(TokenRejection.EXPIRED));
    }

    @Test
    void issuesEs256TokensNamingTheKeyByItsThumbprint() {
        JwtSettings settings = JwtSettings.hs256(SECRET).withIssuer("pipedesk-local").withAudience("authenticated");
        TokenIssuer issuer = TokenIssuer.es256(TestKeys.EC_A, settings, CLOCK);
        DecodedJWT jwt = JWT.decode(issuer.issue("user-1", "ana@example.com", "sales", Duration.ofMinutes(30)));

        assertThat(issuer.algorithm()).isEqualTo("ES256");
        assertThat(jwt.getAlgorithm()).isEqualTo("ES256");
        assertThat(jwt.getKeyId()).isEqualTo(TestKeys.EC_A.keyId());
        assertThat(jwt.getIssuer()).isEqualTo("pipedesk-local");
        Algorithm.ECDSA256(TestKeys.EC_A.publicKey(), null).verify(jwt);
    }

    @Test
    void anHs256IssuerNeedsASecret() {
        JwtSettings jwksOnly = JwtSettings.jwks(java.net.URI.create("https://idp.example/jwks.json"), "i", "a");
        assertThatThrownBy(() -> new TokenIssuer(jwksOnly, CLOCK)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TokenIssuer(JwtSettings.hs256(SECRET), CLOCK).algorithm()).isEqualTo("HS256");
    }

    @Test
    void refusesBlankUsersAndNonPositiveLifetimes() {
        TokenIssuer issuer = new TokenIssuer(JwtSettings.hs256(SECRET), CLOCK);
        assertThatThrownBy(() -> issuer.issue(" ", null, "admin", Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> issuer.issue("u", null, "admin", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
