package dev.pipedesk.auth;

import dev.pipedesk.core.Env;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How access tokens are verified (and, for the local stack and tests, issued).
 *
 * @param signingKeys    where valid signatures come from: an HS256 secret, a JWKS URL, or both
 *                       (at most one of each); every key pins its own algorithm, which is never
 *                       taken from the token
 * @param issuer         the required {@code iss}, or null to accept any (required with a JWKS URL)
 * @param audience       a value {@code aud} must contain, or null to accept any (required with a
 *                       JWKS URL)
 * @param leeway         clock skew tolerated for {@code exp}, {@code nbf} and {@code iat}
 * @param roleClaimPaths where the application role is read from, in order; each is a dotted
 *                       path into the claims ({@code app_metadata.role} reads
 *                       {@code {"app_metadata":{"role":...}}})
 */
public record JwtSettings(List<SigningKey> signingKeys, String issuer, String audience, Duration leeway,
                          List<String> roleClaimPaths) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { JWT_HS256_SECRET, JWT_HS256_SECRET_ARN, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_LEEWAY_SECONDS, JWT_ROLE_CLAIMS }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(60);
    public static final List<String> DEFAULT_ROLE_CLAIM_PATHS = List.of("app_metadata.role", "user_role");

    /** Where a token's signature is checked against; each kind pins its own algorithms. */
    public sealed interface SigningKey permits Hs256Secret, Hs256SecretArn, JwksUrl {
    }

    /**
     * The HS256 secret, kept in Secrets Manager (in AWS, instead of {@link Hs256Secret} in the
     * environment): the verifier reads it at the first HS256 token, never while it is built, and
     * again after the secrets' TTL; a value shorter than {@link Hs256Secret#MIN_BYTES} bytes is
     * refused then, and every HS256 token with it (fail closed).
     *
     * @param arn the secret's ARN (or name); its {@code SecretString} is the HS256 secret itself
     */
    public record Hs256SecretArn(String arn) implements SigningKey {
        public Hs256SecretArn {
            if (arn == null || arn.isBlank()) {
                throw new IllegalArgumentException("The HS256 secret's ARN must not be blank");
            }
            arn = arn.trim();
        }
    }

    /** A shared HMAC secret (e.g. Supabase's legacy JWT secret); tokens must be HS256. */
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

    /**
     * The public keys an identity provider publishes as a JSON Web Key Set (e.g. Supabase's
     * {@code https://<project>.supabase.co/auth/v1/.well-known/jwks.json}). A token names its
     * key with {@code kid}; an RSA key (2048 bits or more) only verifies RS256, an EC P-256 key
     * only ES256.
     *
     * @param url {@code https}, or {@code http} to a loopback address (the local stack, tests)
     */
    public record JwksUrl(URI url) implements SigningKey {
        public JwksUrl {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || url.getHost() == null || url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("The JWKS URL must be an absolute http(s) URL without credentials");
            }
            if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(url.getHost()))) {
                throw new IllegalArgumentException("The JWKS URL must be https (http only to localhost)");
            }
        }

        private static boolean isLoopback(String host) {
            return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        }
    }

    public JwtSettings {
        signingKeys = List.copyOf(signingKeys);
        if (signingKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one signing key (an HS256 secret or a JWKS URL) is needed");
        }
        if (signingKeys.stream().map(JwtSettings::kind).distinct().count() < signingKeys.size()) {
            throw new IllegalArgumentException("at most one HS256 secret (a value or an ARN) and one JWKS URL");
        }
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        if (signingKeys.stream().anyMatch(JwksUrl.class::isInstance) && (issuer == null || audience == null)) {
            // Keys of a shared identity provider sign tokens for every app it serves.
            throw new IllegalArgumentException("with a JWKS URL, the issuer and the audience must be set");
        }
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
        return new JwtSettings(List.of(new Hs256Secret(secret)), null, null, DEFAULT_LEEWAY, DEFAULT_ROLE_CLAIM_PATHS);
    }

    /** RS256/ES256 keys from a JWKS URL, with the issuer and audience such keys require. */
    public static JwtSettings jwks(URI url, String issuer, String audience) {
        return new JwtSettings(List.of(new JwksUrl(url)), issuer, audience, DEFAULT_LEEWAY, DEFAULT_ROLE_CLAIM_PATHS);
    }

    /** HS256 secrets (a value or an ARN) count as one kind: at most one of them. */
    private static Class<?> kind(SigningKey key) {
        return key instanceof JwksUrl ? JwksUrl.class : Hs256Secret.class;
    }

    public Optional<Hs256SecretArn> hs256SecretArn() {
        return signingKeys.stream().filter(Hs256SecretArn.class::isInstance).map(Hs256SecretArn.class::cast).findFirst();
    }

    public Optional<Hs256Secret> hs256Secret() {
        return signingKeys.stream().filter(Hs256Secret.class::isInstance).map(Hs256Secret.class::cast).findFirst();
    }

    public Optional<JwksUrl> jwksUrl() {
        return signingKeys.stream().filter(JwksUrl.class::isInstance).map(JwksUrl.class::cast).findFirst();
    }

    /**
     * Reads {@code JWT_HS256_SECRET} (at least 32 bytes) or {@code JWT_HS256_SECRET_ARN} (a
     * Secrets Manager secret holding it; not both), and {@code JWT_JWKS_URL}: at least one
     * is required, an HS256 secret and the JWKS URL may both be set; {@code JWT_ISSUER} and {@code JWT_AUDIENCE} (checked when
     * set, required with {@code JWT_JWKS_URL}), {@code JWT_LEEWAY_SECONDS} (default 60) and
     * {@code JWT_ROLE_CLAIMS} (comma-separated claim paths, default
     * {@code app_metadata.role,user_role}).
     *
     * @throws IllegalStateException when a variable is missing or invalid
     */
    public static JwtSettings fromEnv(Env env) {
        List<SigningKey> keys = new ArrayList<>();
        Optional<String> secret = env.optional(Variable.JWT_HS256_SECRET.name());
        Optional<String> secretArn = env.optional(Variable.JWT_HS256_SECRET_ARN.name());
        Optional<String> jwksUrl = env.optional(Variable.JWT_JWKS_URL.name());
        if (secret.isPresent() && secretArn.isPresent()) {
            throw new IllegalStateException(Variable.JWT_HS256_SECRET + " and " + Variable.JWT_HS256_SECRET_ARN
                    + " are both set: give the HS256 secret one way only (the ARN in AWS, the value locally)");
        }
        if (secret.isEmpty() && secretArn.isEmpty() && jwksUrl.isEmpty()) {
            throw new IllegalStateException("Missing required environment variable " + Variable.JWT_HS256_SECRET + ", "
                    + Variable.JWT_HS256_SECRET_ARN + " or " + Variable.JWT_JWKS_URL + " (set at least one)");
        }
        secretArn.ifPresent(arn -> keys.add(new Hs256SecretArn(arn)));
        try {
            secret.ifPresent(value -> keys.add(new Hs256Secret(value)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Variable.JWT_HS256_SECRET + ": " + e.getMessage());
        }
        try {
            jwksUrl.ifPresent(value -> keys.add(new JwksUrl(URI.create(value))));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Variable.JWT_JWKS_URL + ": " + e.getMessage());
        }
        Optional<String> issuer = env.optional(Variable.JWT_ISSUER.name());
        Optional<String> audience = env.optional(Variable.JWT_AUDIENCE.name());
        if (jwksUrl.isPresent() && (issuer.isEmpty() || audience.isEmpty())) {
            throw new IllegalStateException(Variable.JWT_JWKS_URL + " is set, so " + Variable.JWT_ISSUER + " and "
                    + Variable.JWT_AUDIENCE + " are required: an identity provider's keys sign tokens for other"
                    + " applications too");
        }
        int leewaySeconds = env.getInt(Variable.JWT_LEEWAY_SECONDS.name(), (int) DEFAULT_LEEWAY.toSeconds());
        if (leewaySeconds < 0) {
            throw new IllegalStateException(Variable.JWT_LEEWAY_SECONDS + " must not be negative, got " + leewaySeconds);
        }
        List<String> paths = env.optional(Variable.JWT_ROLE_CLAIMS.name())
                .map(raw -> Arrays.stream(raw.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList())
                .orElse(DEFAULT_ROLE_CLAIM_PATHS);
        try {
            return new JwtSettings(keys, issuer.orElse(null), audience.orElse(null), Duration.ofSeconds(leewaySeconds), paths);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Variable.JWT_ROLE_CLAIMS + ": " + e.getMessage());
        }
    }

    public JwtSettings withIssuer(String newIssuer) {
        return new JwtSettings(signingKeys, newIssuer, audience, leeway, roleClaimPaths);
    }

    public JwtSettings withAudience(String newAudience) {
        return new JwtSettings(signingKeys, issuer, newAudience, leeway, roleClaimPaths);
    }

    public JwtSettings withLeeway(Duration newLeeway) {
        return new JwtSettings(signingKeys, issuer, audience, newLeeway, roleClaimPaths);
    }

    public JwtSettings withRoleClaimPaths(List<String> newPaths) {
        return new JwtSettings(signingKeys, issuer, audience, leeway, newPaths);
    }

    /** The same settings, verifying HS256 tokens with {@code secret} too (replacing any secret). */
    public JwtSettings withHs256Secret(String secret) {
        List<SigningKey> keys = new ArrayList<>(signingKeys.stream()
                .filter(k -> !(k instanceof Hs256Secret || k instanceof Hs256SecretArn)).toList());
        keys.add(new Hs256Secret(secret));
        return new JwtSettings(keys, issuer, audience, leeway, roleClaimPaths);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
