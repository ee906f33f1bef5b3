package dev.pipedesk.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RS256 and ES256 tokens verified with keys a JWKS URL publishes (a local HTTP server with the
 * fixed keys of {@link TestKeys}): algorithm pinned per key, key confusion, caching and the
 * once-a-minute refresh, on a clock the test moves.
 */
class JwksTokenVerifierTest {
    private static final String ISSUER = "https://project.supabase.co/auth/v1";
    private static final String AUDIENCE = "authenticated";
    private static final String HS256_SECRET = "test-secret-test-secret-test-secret!";
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final String RSA_KID = "rsa-1";
    private static final String EC_KID = "ec-1";

    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
    private final JwksServer jwks = JwksServer.start();
    private final JwtSettings settings = JwtSettings.jwks(jwks.url(), ISSUER, AUDIENCE);
    private final TokenVerifier verifier = new TokenVerifier(settings, clock);

    @AfterEach
    void stopTheServer() {
        jwks.close();
    }

    private static final Algorithm RS256 = Algorithm.RSA256(TestKeys.RSA_2048.publicKey(), TestKeys.RSA_2048.privateKey());
    private static final Algorithm ES256 = Algorithm.ECDSA256(TestKeys.EC_A.publicKey(), TestKeys.EC_A.privateKey());

    /** A valid manager token for {@code kid}, adjusted by {@code change}. */
    private String token(String kid, Algorithm algorithm, UnaryOperator<JWTCreator.Builder> change) {
        JWTCreator.Builder builder = JWT.create()
                .withKeyId(kid)
                .withIssuer(ISSUER)
                .withAudience(AUDIENCE)
                .withSubject("user-1")
                .withClaim("app_metadata", Map.of("role", "manager"))
                .withIssuedAt(now.get().minusSeconds(5))
                .withExpiresAt(now.get().plus(Duration.ofHours(1)));
        return "Bearer " + change.apply(builder).sign(algorithm);
    }

    private String token(String kid, Algorithm algorithm) {
        return token(kid, algorithm, b -> b);
    }

    private TokenRejection rejectionOf(TokenVerifier verifier, String header) {
        VerificationResult result = verifier.check(header);
        assertThat(result).isInstanceOf(VerificationResult.Rejected.class);
        return ((VerificationResult.Rejected) result).reason();
    }

    private TokenRejection rejectionOf(String header) {
        return rejectionOf(verifier, header);
    }

    private void publishBothKeys() {
        jwks.publish(TestKeys.RSA_2048.publicJwk(RSA_KID), TestKeys.ecJwk(TestKeys.EC_A, EC_KID));
    }

    @Test
    void verifiesRs256AndEs256TokensWithThePublishedKeys() {
        publishBothKeys();

        assertThat(verifier.verify(token(RSA_KID, RS256))).isEqualTo(new Principal("user-1", null, Role.MANAGER));
        assertThat(verifier.verify(token(EC_KID, ES256))).isEqualTo(new Principal("user-1", null, Role.MANAGER));
    }

    @Test
    void enforcesIssuerAudienceAndExpiryOnJwksTokens() {
        publishBothKeys();

        assertThat(rejectionOf(token(RSA_KID, RS256, b -> b.withIssuer("https://other.supabase.co/auth/v1"))))
                .isEqualTo(TokenRejection.WRONG_ISSUER);
        assertThat(rejectionOf(token(RSA_KID, RS256, b -> b.withAudience("another-app"))))
                .isEqualTo(TokenRejection.WRONG_AUDIENCE);
        assertThat(rejectionOf(token(EC_KID, ES256, b -> b.withExpiresAt(START.minus(Duration.ofHours(1))))))
                .isEqualTo(TokenRejection.EXPIRED);
    }

    @Test
    void keyConfusionAnHs256TokenSignedWithTheRsaPublicKeyIsRefused() {
        publishBothKeys();
        byte[] der = TestKeys.RSA_2048.publicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        String[] forged = {
                token(RSA_KID, Algorithm.HMAC256(der)),
                token(RSA_KID, Algorithm.HMAC256(pem.getBytes(StandardCharsets.US_ASCII))),
                token(EC_KID, Algorithm.HMAC256(TestKeys.EC_A.publicKey().getEncoded()))};

        for (String token : forged) {
            assertThat(rejectionOf(token)).as("JWKS only: HS256 is not allowed at all").isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
        }
        TokenVerifier withSecretToo = new TokenVerifier(settings.withHs256Secret(HS256_SECRET), clock);
        for (String token : forged) {
            assertThat(rejectionOf(withSecretToo, token)).as("HS256 only ever uses the configured secret")
                    .isEqualTo(TokenRejection.BAD_SIGNATURE);
        }
    }

    @Test
    void keyConfusionTheAlgorithmIsTheKeysNotTheTokens() {
        publishBothKeys();
        // Signed correctly with the RSA key, but claiming the EC key's kid (and the reverse).
        assertThat(rejectionOf(token(EC_KID, RS256))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
        assertThat(rejectionOf(token(RSA_KID, ES256))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
        // Other algorithms the same keys could compute.
        Algorithm rs512 = Algorithm.RSA512(TestKeys.RSA_2048.publicKey(), TestKeys.RSA_2048.privateKey());
        assertThat(rejectionOf(token(RSA_KID, rs512))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
        assertThat(rejectionOf(token(RSA_KID, Algorithm.none()))).isEqualTo(TokenRejection.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void aKeyWhoseAlgDiffersFromItsTypeIsNeverUsed() {
        Map<String, Object> rsaForRs512 = TestKeys.RSA_2048.publicJwk(RSA_KID);
        rsaForRs512.put("alg", "RS512");
        Map<String, Object> ecForEncryption = TestKeys.ecJwk(TestKeys.EC_A, EC_KID);
        ecForEncryption.put("use", "enc");
        jwks.publish(rsaForRs512, ecForEncryption, TestKeys.RSA_1024.publicJwk("rsa-short"));

        assertThat(rejectionOf(token(RSA_KID, RS256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
        assertThat(rejectionOf(token(EC_KID, ES256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
        Algorithm shortRsa = Algorithm.RSA256(TestKeys.RSA_1024.publicKey(), TestKeys.RSA_1024.privateKey());
        assertThat(rejectionOf(token("rsa-short", shortRsa))).isEqualTo(TokenRejection.UNKNOWN_KEY);
    }

    @Test
    void aTokenWithoutKidOrWithAnUnpublishedKidIsRefused() {
        publishBothKeys();

        assertThat(rejectionOf(token(null, RS256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
        assertThat(rejectionOf(token("someone-elses-key", RS256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
    }

    @Test
    void aKeyEmbeddedInTheTokenHeaderIsIgnored() {
        publishBothKeys();
        Algorithm attacker = Algorithm.ECDSA256(TestKeys.EC_B.publicKey(), TestKeys.EC_B.privateKey());
        String embedded = token(EC_KID, attacker, b -> b.withHeader(Map.of("jwk", TestKeys.EC_B.publicJwk())));
        String embeddedUnderItsOwnKid = token(TestKeys.EC_B.keyId(), attacker,
                b -> b.withHeader(Map.of("jwk", TestKeys.EC_B.publicJwk())));

        assertThat(rejectionOf(embedded)).isEqualTo(TokenRejection.BAD_SIGNATURE);
        assertThat(rejectionOf(embeddedUnderItsOwnKid)).isEqualTo(TokenRejection.UNKNOWN_KEY);
    }

    @Test
    void keysAreFetchedOnceAndCached() {
        publishBothKeys();

        for (int i = 0; i < 5; i++) {
            assertThat(verifier.check(token(RSA_KID, RS256))).isInstanceOf(VerificationResult.Verified.class);
            assertThat(verifier.check(token(EC_KID, ES256))).isInstanceOf(VerificationResult.Verified.class);
        }
        assertThat(jwks.fetches()).isEqualTo(1);
    }

    @Test
    void anUnknownKidRefreshesTheKeysAtMostOncePerMinute() {
        jwks.publish(TestKeys.RSA_2048.publicJwk(RSA_KID));
        assertThat(verifier.check(token(RSA_KID, RS256))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(jwks.fetches()).isEqualTo(1);

        // The provider rotates a new key in; within the minute nobody may make us fetch again.
        publishBothKeys();
        now.set(START.plusSeconds(30));
        for (int i = 0; i < 10; i++) {
            assertThat(rejectionOf(token(EC_KID, ES256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
            assertThat(rejectionOf(token("made-up-" + i, RS256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
        }
        assertThat(jwks.fetches()).isEqualTo(1);

        now.set(START.plus(JwksKeys.MIN_REFRESH_INTERVAL));
        assertThat(verifier.check(token(EC_KID, ES256))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(verifier.check(token(RSA_KID, RS256))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(rejectionOf(token("made-up", RS256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
        assertThat(jwks.fetches()).isEqualTo(2);
    }

    @Test
    void aWithdrawnKeyStopsWorkingOnceTheCachedSetIsStale() {
        publishBothKeys();
        assertThat(verifier.check(token(RSA_KID, RS256))).isInstanceOf(VerificationResult.Verified.class);

        jwks.publish(TestKeys.ecJwk(TestKeys.EC_A, EC_KID));
        now.set(START.plus(JwksKeys.MAX_AGE).minusSeconds(1));
        assertThat(verifier.check(token(RSA_KID, RS256))).isInstanceOf(VerificationResult.Verified.class);

        now.set(START.plus(JwksKeys.MAX_AGE));
        assertThat(rejectionOf(token(RSA_KID, RS256))).isEqualTo(TokenRejection.UNKNOWN_KEY);
        assertThat(jwks.fetches()).isEqualTo(2);
    }

    @Test
    void anUnreachableJwksIsA500AndKeysAlreadyFetchedKeepWorking() {
        TokenVerifier neverFetched = new TokenVerifier(settings, clock);
        publishBothKeys();
        assertThat(verifier.check(token(RSA_KID, RS256))).isInstanceOf(VerificationResult.Verified.class);
        jwks.close();

        assertThat(rejectionOf(neverFetched, token(RSA_KID, RS256))).isEqualTo(TokenRejection.KEYS_UNAVAILABLE);
        assertThat(TokenRejection.KEYS_UNAVAILABLE.errorCode().status()).isEqualTo(500);

        now.set(START.plus(JwksKeys.MAX_AGE).plusSeconds(1));
        assertThat(verifier.check(token(RSA_KID, RS256))).as("the failed refresh keeps the keys held")
                .isInstanceOf(VerificationResult.Verified.class);
    }

    @Test
    void hs256TokensStillVerifyAlongsideTheJwks() {
        publishBothKeys();
        TokenVerifier both = new TokenVerifier(settings.withHs256Secret(HS256_SECRET), clock);

        assertThat(both.check(token(null, Algorithm.HMAC256(HS256_SECRET)))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(both.check(token(RSA_KID, RS256))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(jwks.fetches()).isEqualTo(1);
    }

    @Test
    void tokensIssuedWithAnEs256KeyPairVerifyThroughItsPublishedJwk() {
        jwks.publish(TestKeys.EC_B.publicJwk());
        String token = TokenIssuer.es256(TestKeys.EC_B, settings, clock).issue("user-7", "bo@example.com", "sales", Duration.ofMinutes(5));

        assertThat(verifier.verify("Bearer " + token)).isEqualTo(new Principal("user-7", "bo@example.com", Role.SALES));
    }
}
