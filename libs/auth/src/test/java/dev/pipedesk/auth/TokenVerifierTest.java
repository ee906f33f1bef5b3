package dev.pipedesk.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {
    private static final String SECRET = "test-secret-test-secret-test-secret!";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Algorithm HS256 = Algorithm.HMAC256(SECRET);

    private final TokenVerifier verifier = new TokenVerifier(JwtSettings.hs256(SECRET), CLOCK);

    /** A valid admin token, adjusted by {@code change}. */
    private static String token(UnaryOperator<JWTCreator.Builder> change, Algorithm algorithm) {
        JWTCreator.Builder builder = JWT.create()
                .withSubject("user-1")
                .withClaim("email", "ana@example.com")
                .withClaim("app_metadata", Map.of("role", "admin"))
                .withIssuedAt(NOW.minusSeconds(10))
                .withExpiresAt(NOW.plus(Duration.ofHours(1)));
        return change.apply(builder).sign(algorithm);
    }

    private static String token(UnaryOperator<JWTCreator.Builder> change) {
        return token(change, HS256);
    }

    private TokenRejection rejectionOf(TokenVerifier verifier, String token) {
        VerificationResult result = verifier.check(token);
        assertThat(result).isInstanceOf(VerificationResult.Rejected.class);
        return ((VerificationResult.Rejected) result).reason();
    }

    private TokenRejection rejectionOf(String token) {
        return rejectionOf(verifier, token);
    }

    @Test
    void verifiesAValidTokenIntoAPrincipal() {
        Principal principal = verifier.verify("Bearer " + token(b -> b));

        assertThat(principal).isEqualTo(new Principal("user-1", "ana@example.com", Role.ADMIN));
    }

    @Test
    void acceptsBareTokensAndAnyCaseOfTheBearerScheme() {
        String token = token(b -> b);
        assertThat(verifier.verify(token).userId()).isEqualTo("user-1");
        assertThat(verifier.verify("bearer " + token).userId()).isEqualTo("user-1");
        assertThat(verifier.verify("  BEARER   " + token + "  ").userId()).isEqualTo("user-1");
    }

    @Test
    void emailIsOptional() {
        Principal principal = verifier.verify(token(b -> b.withClaim("email", (String) null)));
        assertThat(principal.email()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Bearer", "Bearer   "})
    void rejectsAMissingTokenAs401(String header) {
        assertThat(rejectionOf(header)).isEqualTo(TokenRejection.MISSING_TOKEN);
        assertThat(rejectionOf((String) null)).isEqualTo(TokenRejection.MISSING_TOKEN);
        assertThatThrownBy(() -> verifier.verify(header))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "a.b.c", "Basic dXNlcjpwYXNz", "eyJhbGciOiJIUzI1NiJ9.e30"})
    void rejectsGarbageAsMalformed(String header) {
        assertThat(rejectionOf(header)).isEqualTo(TokenRejection.MALFORMED);
    }

    @Test
    void rejectsOversizedTokensWithoutParsingThem() {
        String huge = token(b -> b.withClaim("padding", "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH)));
        assertThat(rejectionOf(huge)).isEqualTo(TokenRejection.MALFORMED);
    }

    @Test
    void rejectsABadSignature() {
        String otherSecret = token(b -> b, Algorithm.HMAC256("another-secret-another-secret-another"));
        assertThat(rejectionOf(otherSecret)).isEqualTo(TokenRejection.BAD_SIGNATURE);
    }

    @Test
    void rejectsATamperedPayload() {
        String[] parts = token(b -> b.withClaim("app_metadata", Map.of("role", "viewer"))).split("\\.");
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"user-1\",\"app_metadata\":{\"role\":\"admin\"},\"exp\":"
                        + NOW.plusSeconds(3600).getEpochSecond() + "}").getBytes());
        assertThat(rejectionOf(parts[0] + "." + forgedPayload + "." + parts[2])).isEqualTo(TokenRejection.BAD_SIGNATURE);
    }

    @Test
    void rejectsAlgNone() {
        assertThat(rejectionOf(token(b -> b, Algorithm.none()))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void rejectsHs512EvenWithTheRightSecret() {
        assertThat(rejectionOf(token(b -> b, Algorithm.HMAC512(SECRET)))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void rejectsRs256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Algorithm rs256 = Algorithm.RSA256((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate());
        assertThat(rejectionOf(token(b -> b, rs256))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void rejectsATokenWithoutExpiry() {
        String noExp = JWT.create().withSubject("user-1").withClaim("app_metadata", Map.of("role", "admin")).sign(HS256);
        assertThat(rejectionOf(noExp)).isEqualTo(TokenRejection.MISSING_EXPIRY);
    }

    @Test
    void rejectsATokenExpiredBeyondTheLeeway() {
        assertThat(rejectionOf(token(b -> b.withExpiresAt(NOW.minusSeconds(61))))).isEqualTo(TokenRejection.EXPIRED);
        assertThatThrownBy(() -> verifier.verify(token(b -> b.withExpiresAt(NOW.minusSeconds(3600)))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("The access token has expired.");
                });
    }

    @Test
    void acceptsATokenExpiredWithinTheLeeway() {
        assertThat(verifier.check(token(b -> b.withExpiresAt(NOW.minusSeconds(59)))))
                .isInstanceOf(VerificationResult.Verified.class);
    }

    @Test
    void honoursAConfiguredLeeway() {
        TokenVerifier strict = new TokenVerifier(JwtSettings.hs256(SECRET).withLeeway(Duration.ZERO), CLOCK);
        assertThat(rejectionOf(strict, token(b -> b.withExpiresAt(NOW.minusSeconds(1))))).isEqualTo(TokenRejection.EXPIRED);
    }

    @Test
    void rejectsATokenNotYetValidBeyondTheLeeway() {
        assertThat(rejectionOf(token(b -> b.withNotBefore(NOW.plusSeconds(120))))).isEqualTo(TokenRejection.NOT_YET_VALID);
    }

    @Test
    void acceptsANotBeforeWithinTheLeeway() {
        assertThat(verifier.check(token(b -> b.withNotBefore(NOW.plusSeconds(30)))))
                .isInstanceOf(VerificationResult.Verified.class);
    }

    @Test
    void rejectsATokenIssuedInTheFuture() {
        assertThat(rejectionOf(token(b -> b.withIssuedAt(NOW.plusSeconds(600))))).isEqualTo(TokenRejection.ISSUED_IN_FUTURE);
    }

    @Test
    void checksTheIssuerWhenConfigured() {
        TokenVerifier withIssuer = new TokenVerifier(JwtSettings.hs256(SECRET).withIssuer("https://auth.pipedesk.dev"), CLOCK);

        assertThat(withIssuer.check(token(b -> b.withIssuer("https://auth.pipedesk.dev"))))
                .isInstanceOf(VerificationResult.Verified.class);
        assertThat(rejectionOf(withIssuer, token(b -> b.withIssuer("https://evil.example")))).isEqualTo(TokenRejection.WRONG_ISSUER);
        assertThat(rejectionOf(withIssuer, token(b -> b))).isEqualTo(TokenRejection.WRONG_ISSUER);
    }

    @Test
    void ignoresTheIssuerWhenNotConfigured() {
        assertThat(verifier.check(token(b -> b.withIssuer("https://anyone.example"))))
                .isInstanceOf(VerificationResult.Verified.class);
    }

    @Test
    void checksTheAudienceWhenConfigured() {
        TokenVerifier withAudience = new TokenVerifier(JwtSettings.hs256(SECRET).withAudience("authenticated"), CLOCK);

        assertThat(withAudience.check(token(b -> b.withAudience("authenticated"))))
                .isInstanceOf(VerificationResult.Verified.class);
        assertThat(withAudience.check(token(b -> b.withAudience("other", "authenticated"))))
                .isInstanceOf(VerificationResult.Verified.class);
        assertThat(rejectionOf(withAudience, token(b -> b.withAudience("other")))).isEqualTo(TokenRejection.WRONG_AUDIENCE);
        assertThat(rejectionOf(withAudience, token(b -> b))).isEqualTo(TokenRejection.WRONG_AUDIENCE);
    }

    @Test
    void rejectsATokenWithoutSubject() {
        assertThat(rejectionOf(token(b -> b.withSubject(null)))).isEqualTo(TokenRejection.MISSING_SUBJECT);
        assertThat(rejectionOf(token(b -> b.withSubject("  ")))).isEqualTo(TokenRejection.MISSING_SUBJECT);
    }

    @Test
    void rejectsAnUnknownRoleWith403() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("role", "owner")));

        assertThat(rejectionOf(token)).isEqualTo(TokenRejection.NO_APP_ROLE);
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void supabaseAuthenticatedRoleAloneIsNotAnAppRole() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("provider", "email")).withClaim("role", "authenticated"));

        assertThat(rejectionOf(token)).isEqualTo(TokenRejection.NO_APP_ROLE);
        assertThat(rejectionOf(new TokenVerifier(JwtSettings.hs256(SECRET).withRoleClaimPaths(List.of("role")), CLOCK), token))
                .isEqualTo(TokenRejection.NO_APP_ROLE);
    }

    @Test
    void fallsBackToTheUserRoleClaim() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("provider", "email"))
                .withClaim("role", "authenticated").withClaim("user_role", "manager"));

        assertThat(verifier.verify(token).role()).isEqualTo(Role.MANAGER);
    }

    @Test
    void fallsBackWhenTheFirstPathHoldsNoKnownRole() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("role", "authenticated")).withClaim("user_role", "viewer"));

        assertThat(verifier.verify(token).role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void thePathListedFirstWins() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("role", "viewer")).withClaim("user_role", "admin"));

        assertThat(verifier.verify(token).role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void mapsRoleAliases() {
        assertThat(verifier.verify(token(b -> b.withClaim("app_metadata", Map.of("role", "super_admin")))).role()).isEqualTo(Role.ADMIN);
        assertThat(verifier.verify(token(b -> b.withClaim("app_metadata", Map.of("role", "New_Business")))).role()).isEqualTo(Role.SALES);
    }

    @Test
    void readsConfiguredNestedRolePaths() {
        TokenVerifier custom = new TokenVerifier(JwtSettings.hs256(SECRET).withRoleClaimPaths(List.of("claims.pipedesk.role")), CLOCK);
        String token = token(b -> b.withClaim("claims", Map.of("pipedesk", Map.of("role", "sales"))));

        assertThat(custom.verify(token).role()).isEqualTo(Role.SALES);
    }

    @Test
    void ignoresRoleClaimsOfTheWrongShape() {
        String token = token(b -> b.withClaim("app_metadata", "admin").withClaim("user_role", List.of("admin")));
        assertThat(rejectionOf(token)).isEqualTo(TokenRejection.NO_APP_ROLE);

        String nested = token(b -> b.withClaim("app_metadata", Map.of("role", Map.of("name", "admin"))));
        assertThat(rejectionOf(nested)).isEqualTo(TokenRejection.NO_APP_ROLE);
    }

    @Test
    void errorsNeverCarryTheTokenOrTheLibrarysText() {
        List<String> tokens = List.of(
                token(b -> b, Algorithm.HMAC256("another-secret-another-secret-another")),
                token(b -> b.withExpiresAt(NOW.minusSeconds(3600))),
                token(b -> b, Algorithm.none()),
                token(b -> b.withNotBefore(NOW.plusSeconds(3600))),
                token(b -> b.withClaim("app_metadata", Map.of("role", "owner"))));
        for (String token : tokens) {
            assertThatThrownBy(() -> verifier.verify("Bearer " + token))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.getMessage()).doesNotContain(token).doesNotContainIgnoringCase("jwt")
                                .doesNotContainIgnoringCase("claim").doesNotContainIgnoringCase("algorithm");
                        assertThat(e.getCause()).isNull();
                        assertThat(e.details()).isNull();
                        assertThat(e.getMessage()).isEqualTo(rejectionOf(token).clientMessage());
                    });
        }
    }
}
