package dev.pipedesk.auth;

import dev.pipedesk.core.Env;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How access tokens are verified (and, for the local stack and tests, issued).
 *
 * @param signingKey     the key tokens must be signed with; its algorithm is pinned, never
 *                       taken from the token
 * @param issuer         the required {@code iss}, or null to accept any
 * @param audience       a value {@code aud} must contain, or null to accept any
 * @param leeway         clock skew tolerated for {@code exp}, {@code nbf} and {@code iat}
 * @param roleClaimPaths where the application role is read from, in order; each is a dotted
 *                       path into the claims ({@code app_metadata.role} reads
 *                       {@code {"app_metadata":{"role":...}}})
 */
public record JwtSettings(SigningKey signingKey, String issuer, String audience, Duration leeway,
                          List<String> roleClaimPaths) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { JWT_HS256_SECRET, JWT_ISSUER, JWT_AUDIENCE, JWT_LEEWAY_SECONDS, JWT_ROLE_CLAIMS }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(60);
    public static final List<String> DEFAULT_ROLE_CLAIM_PATHS = List.of("app_metadata.role", "user_role");

    /**
     * The key a token's signature is checked against; each kind pins its own algorithm. Keys
     * from a JWKS URL (RS256/ES256, chosen by the key's type and {@code kid}) fit in here as a
     * further permitted kind.
     */
    public sealed interface SigningKey permits Hs256Secret {
    }

    /** A shared HMAC secret (e.g. Supabase's JWT secret); tokens must be HS256. */
    public record Hs256Secret(String secret) implements SigningKey {
        /** RFC 7518 §3.2: an HS256 key must be at least as long as the hash, 256 bits. */
        public static final int MIN_BYTES = 32;

        public Hs256Secret {
            if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
                throw new IllegalArgumentException(
                        "The HS256 secret must be at least " + MIN_BYTES + " bytes long");
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Hs256Secret that && java.security.MessageDigest.isEqual(
                    secret.getBytes(StandardCharsets.UTF_8), that.secret.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int hashCode() {
            return secret.hashCode();
        }

        /** Never prints the secret. */
        @Override
        public String toString() {
            return "Hs256Secret[secret=***]";
        }
    }

    public JwtSettings {
        Objects.requireNonNull(signingKey, "signingKey");
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        Objects.requireNonNull(leeway, "leeway");
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("leeway must not be negative");
        }
        roleClaimPaths = List.copyOf(roleClaimPaths);
        if (roleClaimPaths.isEmpty()) {
            throw new IllegalArgumentException("at least one role claim path is needed");
        }
        for (String path : roleClaimPaths) {
            if (path.isBlank() || Arrays.stream(path.split("\\.", -1)).anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("invalid role claim path '" + path + "'");
            }
        }
    }

    /** HS256 with the default leeway and role claim paths, no issuer or audience check. */
    public static JwtSettings hs256(String secret) {
        return new JwtSettings(new Hs256Secret(secret), null, null, DEFAULT_LEEWAY, DEFAULT_ROLE_CLAIM_PATHS);
    }

    /**
     * Reads {@code JWT_HS256_SECRET} (required, at least 32 bytes), {@code JWT_ISSUER} and
     * {@code JWT_AUDIENCE} (checked when set), {@code JWT_LEEWAY_SECONDS} (default 60) and
     * {@code JWT_ROLE_CLAIMS} (comma-separated claim paths, default
     * {@code app_metadata.role,user_role}).
     *
     * @throws IllegalStateException when a variable is missing or invalid
     */
    public static JwtSettings fromEnv(Env env) {
        SigningKey key;
        try {
            key = new Hs256Secret(env.required(Variable.JWT_HS256_SECRET.name()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Variable.JWT_HS256_SECRET + ": " + e.getMessage());
        }
        int leewaySeconds = env.getInt(Variable.JWT_LEEWAY_SECONDS.name(), (int) DEFAULT_LEEWAY.toSeconds());
        if (leewaySeconds < 0) {
            throw new IllegalStateException(Variable.JWT_LEEWAY_SECONDS + " must not be negative, got " + leewaySeconds);
        }
        List<String> paths = env.optional(Variable.JWT_ROLE_CLAIMS.name())
                .map(raw -> Arrays.stream(raw.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList())
                .orElse(DEFAULT_ROLE_CLAIM_PATHS);
        try {
            return new JwtSettings(key, env.optional(Variable.JWT_ISSUER.name()).orElse(null),
                    env.optional(Variable.JWT_AUDIENCE.name()).orElse(null), Duration.ofSeconds(leewaySeconds), paths);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Variable.JWT_ROLE_CLAIMS + ": " + e.getMessage());
        }
    }

    public JwtSettings withIssuer(String newIssuer) {
        return new JwtSettings(signingKey, newIssuer, audience, leeway, roleClaimPaths);
    }

    public JwtSettings withAudience(String newAudience) {
        return new JwtSettings(signingKey, issuer, newAudience, leeway, roleClaimPaths);
    }

    public JwtSettings withLeeway(Duration newLeeway) {
        return new JwtSettings(signingKey, issuer, audience, newLeeway, roleClaimPaths);
    }

    public JwtSettings withRoleClaimPaths(List<String> newPaths) {
        return new JwtSettings(signingKey, issuer, audience, leeway, newPaths);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
