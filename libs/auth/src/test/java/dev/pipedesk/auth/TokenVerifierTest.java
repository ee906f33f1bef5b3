package dev.pipedesk.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
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
        VerificationResult result = verifier.check("Bearer " + token);
        assertThat(result).isInstanceOf(VerificationResult.Rejected.class);
        return ((VerificationResult.Rejected) result).reason();
    }

    private static void assertVerified(TokenVerifier verifier, String token) {
        assertThat(verifier.check("Bearer " + token)).isInstanceOf(VerificationResult.Verified.class);
    }

    private TokenRejection rejectionOf(String token) {
        return rejectionOf(verifier, token);
    }

    private TokenRejection rejectionOfHeader(String header) {
        VerificationResult result = verifier.check(header);
        assertThat(result).isInstanceOf(VerificationResult.Rejected.class);
        return ((VerificationResult.Rejected) result).reason();
    }

    private Principal verify(String token) {
        return verifier.verify("Bearer " + token);
    }

    /** A token with exactly this payload JSON (no claim added), signed HS256 with the secret. */
    private static String rawToken(String payloadJson) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        byte[] header = base64.encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        byte[] payload = base64.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        byte[] signature = HS256.sign(header, payload);
        return new String(header, StandardCharsets.US_ASCII) + "." + new String(payload, StandardCharsets.US_ASCII)
                + "." + base64.encodeToString(signature);
    }

    /** A valid payload with {@code extra} (raw JSON members, e.g. {@code "exp":null}) in place of its own. */
    private static String payload(String extra) {
        Map<String, String> members = new java.util.LinkedHashMap<>();
        members.put("sub", "\"user-1\"");
        members.put("app_metadata", "{\"role\":\"admin\"}");
        members.put("iat", Long.toString(NOW.minusSeconds(10).getEpochSecond()));
        members.put("exp", Long.toString(NOW.plusSeconds(3600).getEpochSecond()));
        for (String member : extra.split(",(?=\")")) {
            String name = member.substring(1, member.indexOf('"', 1));
            members.put(name, member.substring(member.indexOf(':') + 1));
        }
        StringBuilder json = new StringBuilder("{");
        members.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
        return json.append('}').toString();
    }

    @Test
    void verifiesAValidTokenIntoAPrincipal() {
        Principal principal = verify(token(b -> b));

        assertThat(principal).isEqualTo(new Principal("user-1", "ana@example.com", Role.ADMIN));
    }

    @Test
    void acceptsAnyCaseOfTheBearerScheme() {
        String token = token(b -> b);
        assertThat(verifier.verify("bearer " + token).userId()).isEqualTo("user-1");
        assertThat(verifier.verify("  BEARER   " + token + "  ").userId()).isEqualTo("user-1");
    }

    @Test
    void refusesABareTokenOrAnotherScheme() {
        String token = token(b -> b);

        assertThat(rejectionOfHeader(token)).isEqualTo(TokenRejection.NOT_BEARER);
        assertThat(rejectionOfHeader("Basic dXNlcjpwYXNz")).isEqualTo(TokenRejection.NOT_BEARER);
        assertThat(rejectionOfHeader("Bearer" + token)).isEqualTo(TokenRejection.NOT_BEARER);
        assertThat(rejectionOfHeader("Token " + token)).isEqualTo(TokenRejection.NOT_BEARER);
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    @Test
    void emailIsOptional() {
        Principal principal = verify(token(b -> b.withClaim("email", (String) null)));
        assertThat(principal.email()).isNull();
        assertThat(verify(token(b -> b.withClaim("email", ""))).email()).as("Supabase's phone users").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Bearer", "Bearer   "})
    void rejectsAMissingTokenAs401(String header) {
        assertThat(rejectionOfHeader(header)).isEqualTo(TokenRejection.MISSING_TOKEN);
        assertThat(rejectionOfHeader(null)).isEqualTo(TokenRejection.MISSING_TOKEN);
        assertThatThrownBy(() -> verifier.verify(header))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30", "a b"})
    void rejectsGarbageAsMalformed(String token) {
        assertThat(rejectionOf(token)).isEqualTo(TokenRejection.MALFORMED);
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
    void rejectsRs256AndEs256WithoutAJwksUrl() {
        Algorithm rs256 = Algorithm.RSA256(TestKeys.RSA_2048.publicKey(), TestKeys.RSA_2048.privateKey());
        Algorithm es256 = Algorithm.ECDSA256(TestKeys.EC_A.publicKey(), TestKeys.EC_A.privateKey());
        assertThat(rejectionOf(token(b -> b.withKeyId("rsa-1"), rs256))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
        assertThat(rejectionOf(token(b -> b.withKeyId("ec-1"), es256))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void rejectsATokenWithoutExpiry() {
        String noExp = JWT.create().withSubject("user-1").withClaim("app_metadata", Map.of("role", "admin")).sign(HS256);
        assertThat(rejectionOf(noExp)).isEqualTo(TokenRejection.MISSING_EXPIRY);
    }

    @Test
    void rejectsAnExpiryThatIsNull() {
        assertThat(rejectionOf(token(b -> b.withNullClaim("exp")))).isEqualTo(TokenRejection.MISSING_EXPIRY);
        assertThat(rejectionOf(rawToken(payload("\"exp\":null")))).isEqualTo(TokenRejection.MISSING_EXPIRY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"nbf\":null", "\"iat\":null"})
    void rejectsANotBeforeOrIssuedAtThatIsNull(String member) {
        assertThat(rejectionOf(rawToken(payload(member)))).isEqualTo(TokenRejection.INVALID_TIME_CLAIM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"exp\":\"4102444800\"", "\"exp\":true", "\"exp\":{}", "\"exp\":[4102444800]", "\"exp\":1e300",
            "\"nbf\":\"0\"", "\"nbf\":false", "\"nbf\":[]", "\"iat\":\"yesterday\"", "\"iat\":true", "\"iat\":{}"})
    void rejectsTimeClaimsOfTheWrongType(String member) {
        assertThat(verifier.check("Bearer " + rawToken(payload(member)))).isInstanceOf(VerificationResult.Rejected.class);
    }

    @Test
    void theRawTokenHelperMakesValidTokens() {
        assertThat(verify(rawToken(payload("\"email\":\"ana@example.com\""))))
                .isEqualTo(new Principal("user-1", "ana@example.com", Role.ADMIN));
    }

    @Test
    void rejectsATokenExpiredBeyondTheLeeway() {
        assertThat(rejectionOf(token(b -> b.withExpiresAt(NOW.minusSeconds(61))))).isEqualTo(TokenRejection.EXPIRED);
        assertThatThrownBy(() -> verify(token(b -> b.withExpiresAt(NOW.minusSeconds(3600)))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("The access token has expired.");
                });
    }

    @Test
    void acceptsATokenExpiredWithinTheLeeway() {
        assertVerified(verifier, token(b -> b.withExpiresAt(NOW.minusSeconds(59))));
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
        assertVerified(verifier, token(b -> b.withNotBefore(NOW.plusSeconds(30))));
    }

    @Test
    void rejectsATokenIssuedInTheFuture() {
        assertThat(rejectionOf(token(b -> b.withIssuedAt(NOW.plusSeconds(600))))).isEqualTo(TokenRejection.ISSUED_IN_FUTURE);
    }

    @Test
    void checksTheIssuerWhenConfigured() {
        TokenVerifier withIssuer = new TokenVerifier(JwtSettings.hs256(SECRET).withIssuer("https://auth.pipedesk.dev"), CLOCK);

        assertVerified(withIssuer, token(b -> b.withIssuer("https://auth.pipedesk.dev")));
        assertThat(rejectionOf(withIssuer, token(b -> b.withIssuer("https://evil.example")))).isEqualTo(TokenRejection.WRONG_ISSUER);
        assertThat(rejectionOf(withIssuer, token(b -> b))).isEqualTo(TokenRejection.WRONG_ISSUER);
    }

    @Test
    void ignoresTheIssuerWhenNotConfigured() {
        assertVerified(verifier, token(b -> b.withIssuer("https://anyone.example")));
    }

    @Test
    void checksTheAudienceWhenConfigured() {
        TokenVerifier withAudience = new TokenVerifier(JwtSettings.hs256(SECRET).withAudience("authenticated"), CLOCK);

        assertVerified(withAudience, token(b -> b.withAudience("authenticated")));
        assertVerified(withAudience, token(b -> b.withAudience("other", "authenticated")));
        assertThat(rejectionOf(withAudience, token(b -> b.withAudience("other")))).isEqualTo(TokenRejection.WRONG_AUDIENCE);
        assertThat(rejectionOf(withAudience, token(b -> b))).isEqualTo(TokenRejection.WRONG_AUDIENCE);
    }

    @Test
    void rejectsATokenWithoutSubject() {
        assertThat(rejectionOf(token(b -> b.withSubject(null)))).isEqualTo(TokenRejection.MISSING_SUBJECT);
        assertThat(rejectionOf(token(b -> b.withSubject("")))).isEqualTo(TokenRejection.MISSING_SUBJECT);
        assertThat(rejectionOf(token(b -> b.withSubject("  ")))).isEqualTo(TokenRejection.MISSING_SUBJECT);
        assertThat(rejectionOf(rawToken(payload("\"sub\":null")))).isEqualTo(TokenRejection.MISSING_SUBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"sub\":42", "\"sub\":true", "\"sub\":{\"id\":\"u\"}", "\"sub\":[\"user-1\"]",
            "\"sub\":\"user-1\\n\"", "\"sub\":\"user\\u0000-1\"", "\"sub\":\"user-1\\u007f\"", "\"sub\":\"user\\u0085-1\"",
            "\"sub\":\"\\ud800user\"", "\"sub\":\" user-1\"", "\"sub\":\"user-1 \""})
    void rejectsASubjectThatIsNotAPrintableString(String member) {
        assertThat(rejectionOf(rawToken(payload(member)))).isEqualTo(TokenRejection.INVALID_SUBJECT);
    }

    @Test
    void acceptsNonAsciiSubjectsExactly() {
        assertThat(verify(token(b -> b.withSubject("usuário-🙂"))).userId()).isEqualTo("usuário-🙂");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"email\":42", "\"email\":[\"a@example.com\"]", "\"email\":\"a@example.com\\u0000\"",
            "\"email\":\"a@example.com\\r\\nBcc: b@example.com\""})
    void rejectsAnEmailThatIsNotAPrintableString(String member) {
        assertThat(rejectionOf(rawToken(payload(member)))).isEqualTo(TokenRejection.INVALID_EMAIL);
    }

    @Test
    void rejectsAnUnknownRoleWith403() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("role", "owner")));

        assertThat(rejectionOf(token)).isEqualTo(TokenRejection.NO_APP_ROLE);
        assertThatThrownBy(() -> verify(token))
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
    void fallsBackToTheUserRoleClaimWhenTheFirstPathIsAbsent() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("provider", "email"))
                .withClaim("role", "authenticated").withClaim("user_role", "manager"));
        assertThat(verify(token).role()).isEqualTo(Role.MANAGER);

        String nullRole = rawToken(payload("\"app_metadata\":{\"role\":null},\"user_role\":\"viewer\""));
        assertThat(verify(nullRole).role()).as("null counts as absent").isEqualTo(Role.VIEWER);
    }

    @Test
    void anUnknownRoleAtTheFirstPathDecidesAndDoesNotFallThrough() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("role", "authenticated")).withClaim("user_role", "admin"));

        assertThat(rejectionOf(token)).isEqualTo(TokenRejection.NO_APP_ROLE);
        String numeric = token(b -> b.withClaim("app_metadata", Map.of("role", 4)).withClaim("user_role", "admin"));
        assertThat(rejectionOf(numeric)).isEqualTo(TokenRejection.NO_APP_ROLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin\u0000", "\u0000admin", "admin\n", " admin", "admin ", "ad min", "\tadmin", "admin\u0085"})
    void roleValuesAreMatchedExactlyWithoutTrimming(String role) {
        assertThat(rejectionOf(token(b -> b.withClaim("app_metadata", Map.of("role", role))))).isEqualTo(TokenRejection.NO_APP_ROLE);
    }

    @Test
    void thePathListedFirstWins() {
        String token = token(b -> b.withClaim("app_metadata", Map.of("role", "viewer")).withClaim("user_role", "admin"));

        assertThat(verify(token).role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void mapsRoleAliases() {
        assertThat(verify(token(b -> b.withClaim("app_metadata", Map.of("role", "super_admin")))).role()).isEqualTo(Role.ADMIN);
        assertThat(verify(token(b -> b.withClaim("app_metadata", Map.of("role", "New_Business")))).role()).isEqualTo(Role.SALES);
    }

    @Test
    void readsConfiguredNestedRolePaths() {
        TokenVerifier custom = new TokenVerifier(JwtSettings.hs256(SECRET).withRoleClaimPaths(List.of("claims.pipedesk.role")), CLOCK);
        String token = token(b -> b.withClaim("claims", Map.of("pipedesk", Map.of("role", "sales"))));

        assertThat(custom.verify("Bearer " + token).role()).isEqualTo(Role.SALES);
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
