package dev.pipedesk.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Signs access tokens shaped like Supabase's: {@code sub}, {@code email},
 * {@code app_metadata.role}, {@code iat}, {@code exp}, plus {@code iss}/{@code aud} when the
 * settings name them; HS256 with the settings' secret, or ES256 with an {@link Es256KeyPair}
 * (its {@code kid} in the header). For the local stack and tests; production tokens come from
 * the identity provider.
 */
public final class TokenIssuer {
    private final JwtSettings settings;
    private final Algorithm algorithm;
    private final String keyId;
    private final Clock clock;

    /** HS256 with the settings' secret. */
    public TokenIssuer(JwtSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /**
     * HS256 with the settings' secret.
     *
     * @throws IllegalArgumentException when the settings have no HS256 secret
     */
    public TokenIssuer(JwtSettings settings, Clock clock) {
        this(settings, Algorithm.HMAC256(settings.hs256Secret()
                .orElseThrow(() -> new IllegalArgumentException("These settings have no HS256 secret to sign with"))
                .secret()), null, clock);
    }

    private TokenIssuer(JwtSettings settings, Algorithm algorithm, String keyId, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** ES256 with {@code key}, its thumbprint as {@code kid}; {@code iss}/{@code aud} from {@code settings}. */
    public static TokenIssuer es256(Es256KeyPair key, JwtSettings settings, Clock clock) {
        return new TokenIssuer(settings, Algorithm.ECDSA256(key.publicKey(), key.privateKey()), key.keyId(), clock);
    }

    /** {@code HS256} or {@code ES256}. */
    public String algorithm() {
        return algorithm.getName();
    }

    /**
     * A token for {@code userId} valid for {@code ttl} from now.
     *
     * @param email may be null (no {@code email} claim)
     * @param role  written verbatim under {@code app_metadata.role} (so tests can issue unknown
     *              roles); null leaves the claim out
     */
    public String issue(String userId, String email, String role, Duration ttl) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Instant now = clock.instant();
        JWTCreator.Builder builder = JWT.create()
                .withSubject(userId)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl));
        if (email != null) {
            builder.withClaim("email", email);
        }
        if (role != null) {
            builder.withClaim("app_metadata", Map.of("role", role));
        }
        if (settings.issuer() != null) {
            builder.withIssuer(settings.issuer());
        }
        if (settings.audience() != null) {
            builder.withAudience(settings.audience());
        }
        if (keyId != null) {
            builder.withKeyId(keyId);
        }
        return builder.sign(algorithm);
    }
}
