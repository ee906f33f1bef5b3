package dev.pipedesk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.secrets.SecretSource;
import dev.pipedesk.secrets.SecretUnavailableException;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HS256 secret from Secrets Manager ({@code JWT_HS256_SECRET_ARN}): read at first use, refreshed, failing closed. */
class SecretTokenVerifierTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipedesk/jwt-AbCdEf";
    private static final String FIRST = "first-hs256-secret-0123456789abcdef";
    private static final String SECOND = "second-hs256-secret-0123456789abcdef";
    private static final Duration TTL = Duration.ofMinutes(5);

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final Map<String, String> values = new HashMap<>(Map.of(ARN, FIRST));
    private final AtomicInteger reads = new AtomicInteger();
    private final SecretSource source = arn -> {
        reads.incrementAndGet();
        String value = values.get(arn);
        if (value == null) {
            throw new SecretUnavailableException("Secret " + arn + " could not be read: ResourceNotFoundException");
        }
        return value;
    };
    private final TokenVerifier verifier = new TokenVerifier(
            new JwtSettings(java.util.List.of(new JwtSettings.Hs256SecretArn(ARN)), null, null, JwtSettings.DEFAULT_LEEWAY,
                    JwtSettings.DEFAULT_ROLE_CLAIM_PATHS),
            new Secrets(source, new SecretsSettings(TTL), clock), clock);

    private String token(String secret) {
        return "Bearer " + JWT.create().withSubject("user-1").withClaim("user_role", "admin")
                .withIssuedAt(clock.instant().minusSeconds(5)).withExpiresAt(clock.instant().plusSeconds(3600))
                .sign(Algorithm.HMAC256(secret));
    }

    @Test
    void readsTheSecretAtTheFirstTokenNotWhenBuilt() {
        assertThat(reads).hasValue(0);

        assertThat(verifier.check(token(FIRST))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(verifier.check(token(FIRST))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(reads).hasValue(1);
    }

    @Test
    void takesUpARotatedSecretAfterTheTtl() {
        verifier.check(token(FIRST));
        values.put(ARN, SECOND);
        clock.advance(TTL);

        assertThat(verifier.check(token(SECOND))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(verifier.check(token(FIRST))).isEqualTo(new VerificationResult.Rejected(TokenRejection.BAD_SIGNATURE));
    }

    @Test
    void aSecretTooShortRefusesEveryHs256TokenInsteadOfAcceptingIt() {
        values.put(ARN, "short");

        assertThat(verifier.check(token("short"))).isEqualTo(new VerificationResult.Rejected(TokenRejection.KEYS_UNAVAILABLE));
        assertThat(verifier.check(token(FIRST))).isEqualTo(new VerificationResult.Rejected(TokenRejection.KEYS_UNAVAILABLE));
    }

    @Test
    void anUnreadableSecretRefusesTheToken() {
        values.clear();

        assertThat(verifier.check(token(FIRST))).isEqualTo(new VerificationResult.Rejected(TokenRejection.KEYS_UNAVAILABLE));
    }
}
