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
 * Signs HS256 access tokens shaped like Supabase's: {@code sub}, {@code email},
 * {@code app_metadata.role}, {@code iat}, {@code exp}, plus {@code iss}/{@code aud} when the
 * settings name them. For the local stack's banner and for tests; production tokens come from
 * the identity provider.
 */
public final class TokenIssuer {
    private final JwtSettings settings;
    private final Algorithm algorithm;
    private final Clock clock;

    public TokenIssuer(JwtSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public TokenIssuer(JwtSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.algorithm = switch (settings.signingKey()) {
            case JwtSettings.Hs256Secret hs256 -> Algorithm.HMAC256(hs256.secret());
        };
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
        return builder.sign(algorithm);
    }
}
