package dev.pipedesk.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.secrets.RefreshingSecret;
import dev.pipedesk.secrets.SecretUnavailableException;
import dev.pipedesk.secrets.Secrets;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Verifies bearer tokens. The {@code Authorization} header must be {@code Bearer <jwt>}. The
 * signature is checked with a configured key whose algorithm the key itself pins — HS256 with
 * {@code JWT_HS256_SECRET} (or the Secrets Manager secret {@code JWT_HS256_SECRET_ARN} names, read
 * at the first HS256 token and again after the secrets' TTL: an unreadable or too short secret
 * refuses every HS256 token as {@code keys_unavailable}, never accepts one); RS256 or ES256 with the key a JWKS URL publishes under the token's
 * {@code kid} — so a token claiming {@code none}, HS512, or any algorithm but its key's is
 * refused. {@code exp} is required and, like {@code nbf} and {@code iat} when present, must be
 * a number; issuer and audience are checked when configured; all with the configured leeway.
 * Then {@code sub} (a non-empty string of printable characters), {@code email} (optional) and
 * the application role, decided by the first configured claim path that is present.
 *
 * <p>Thread-safe; build one per container and reuse it (it caches the JWKS).
 */
public final class TokenVerifier {
    /** Longer headers are refused before any parsing. */
    static final int MAX_TOKEN_LENGTH = 8192;

    private static final String BEARER_PREFIX = "bearer ";
    private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

    private final JwtSettings settings;
    private final Clock clock;
    private final JWTVerifier hs256Verifier;
    /** The HS256 verifier built from the Secrets Manager secret, or null. */
    private final RefreshingSecret<JWTVerifier> hs256FromSecret;
    private final JwksKeys jwksKeys;
    private final Map<JwksKeys.PinnedKey, JWTVerifier> jwksVerifiers = new ConcurrentHashMap<>();
    private final List<String[]> roleClaimPaths;

    /** For settings with plain values only (an HS256 secret ARN cannot be read: see {@link #TokenVerifier(JwtSettings, Secrets)}). */
    public TokenVerifier(JwtSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public TokenVerifier(JwtSettings settings, Clock clock) {
        this(settings, Secrets.none(), clock);
    }

    /** @param secrets where {@link JwtSettings.Hs256SecretArn} is read from (at the first HS256 token) */
    public TokenVerifier(JwtSettings settings, Secrets secrets) {
        this(settings, secrets, Clock.systemUTC());
    }

    public TokenVerifier(JwtSettings settings, Secrets secrets, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(secrets, "secrets");
        this.hs256Verifier = settings.hs256Secret()
                .map(secret -> buildVerifier(Algorithm.HMAC256(secret.secret()))).orElse(null);
        // Never read here: the value is read at the first HS256 token (after a SnapStart restore).
        this.hs256FromSecret = settings.hs256SecretArn()
                .map(arn -> secrets.secret(arn.arn(), value -> buildVerifier(Algorithm.HMAC256(new JwtSettings.Hs256Secret(value).secret()))))
                .orElse(null);
        this.jwksKeys = settings.jwksUrl().map(url -> new JwksKeys(url, clock)).orElse(null);
        this.roleClaimPaths = settings.roleClaimPaths().stream().map(path -> path.split("\\.")).toList();
    }

    public JwtSettings settings() {
        return settings;
    }

    /**
     * The principal an {@code Authorization} header value ({@code Bearer <jwt>}) stands for.
     *
     * @throws ApiException {@code UNAUTHORIZED} for a missing, malformed, forged or expired token,
     *                      {@code FORBIDDEN} for a valid token without a known application role;
     *                      the message is generic and never contains the token
     */
    public Principal verify(String authorizationHeader) {
        return switch (check(authorizationHeader)) {
            case VerificationResult.Verified verified -> verified.principal();
            case VerificationResult.Rejected rejected -> throw rejected.reason().toApiException();
        };
    }

    /** Like {@link #verify(String)}, but reports a refusal as a value with its reason. */
    public VerificationResult check(String authorizationHeader) {
        String token;
        try {
            token = bearerToken(authorizationHeader);
        } catch (Refused refused) {
            return new VerificationResult.Rejected(refused.reason);
        }
        if (token.length() > MAX_TOKEN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
            return new VerificationResult.Rejected(TokenRejection.MALFORMED);
        }
        DecodedJWT jwt;
        try {
            DecodedJWT decoded = JWT.decode(token);
            jwt = verifierFor(decoded).verify(decoded);
            requireNumericTimes(jwt);
            return new VerificationResult.Verified(principalOf(jwt));
        } catch (JWTVerificationException e) {
            return new VerificationResult.Rejected(rejectionFor(e));
        } catch (Refused refused) {
            return new VerificationResult.Rejected(refused.reason);
        }
    }

    /**
     * The token in {@code Bearer <token>} (scheme case-insensitive, RFC 7235).
     *
     * @throws Refused {@code missing_token} when blank or nothing follows the scheme,
     *                 {@code not_bearer} for a bare token or another scheme
     */
    private static String bearerToken(String header) {
        String value = header == null ? "" : header.strip();
        if (value.isEmpty() || value.equalsIgnoreCase(BEARER_PREFIX.strip())) {
            throw new Refused(TokenRejection.MISSING_TOKEN);
        }
        if (!value.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            throw new Refused(TokenRejection.NOT_BEARER);
        }
        return value.substring(BEARER_PREFIX.length()).strip();
    }

    /**
     * The verifier for the key the token's header names, pinned to that key's algorithm: the
     * HS256 secret for {@code HS256}, the JWKS key under {@code kid} for anything else, which
     * must then be exactly the algorithm that key allows.
     */
    private JWTVerifier verifierFor(DecodedJWT token) {
        String algorithm = token.getAlgorithm();
        if ("HS256".equals(algorithm)) {
            if (hs256FromSecret != null) {
                return hs256FromSecret();
            }
            if (hs256Verifier == null) {
                throw new Refused(TokenRejection.ALGORITHM_NOT_ALLOWED);
            }
            return hs256Verifier;
        }
        if (jwksKeys == null || !("RS256".equals(algorithm) || "ES256".equals(algorithm))) {
            throw new Refused(TokenRejection.ALGORITHM_NOT_ALLOWED);
        }
        String keyId = token.getKeyId();
        if (keyId == null || keyId.isEmpty()) {
            throw new Refused(TokenRejection.UNKNOWN_KEY);
        }
        JwksKeys.PinnedKey key = switch (jwksKeys.find(keyId)) {
            case JwksKeys.Found found -> found.key();
            case JwksKeys.UnknownKey ignored -> throw new Refused(TokenRejection.UNKNOWN_KEY);
            case JwksKeys.Unavailable ignored -> throw new Refused(TokenRejection.KEYS_UNAVAILABLE);
        };
        if (!key.algorithm().getName().equals(algorithm)) {
            throw new Refused(TokenRejection.ALGORITHM_NOT_ALLOWED);
        }
        return jwksVerifiers.computeIfAbsent(key, k -> buildVerifier(k.algorithm()));
    }

    /** The verifier for the secret's current value; an unreadable or unusable secret refuses the token (fail closed). */
    private JWTVerifier hs256FromSecret() {
        try {
            return hs256FromSecret.get();
        } catch (SecretUnavailableException e) {
            // The message names the secret and the problem, never the value.
            LOG.warning(() -> "security: the HS256 secret is unavailable, HS256 tokens are refused: " + e.getMessage());
            throw new Refused(TokenRejection.KEYS_UNAVAILABLE);
        }
    }

    private JWTVerifier buildVerifier(Algorithm algorithm) {
        Verification verification = JWT.require(algorithm)
                .acceptLeeway(settings.leeway().toSeconds())
                .withClaimPresence("exp");
        if (settings.issuer() != null) {
            verification = verification.withIssuer(settings.issuer());
        }
        if (settings.audience() != null) {
            verification = verification.withAudience(settings.audience());
        }
        return ((JWTVerifier.BaseVerification) verification).build(clock);
    }

    /**
     * java-jwt refuses non-numeric times while decoding, but reads a JSON {@code null} as
     * "absent" and then skips the check: {@code "exp": null} would never expire.
     */
    private static void requireNumericTimes(DecodedJWT jwt) {
        if (jwt.getClaim("exp").isNull()) {
            throw new Refused(TokenRejection.MISSING_EXPIRY);
        }
        if (jwt.getClaim("nbf").isNull() || jwt.getClaim("iat").isNull()) {
            throw new Refused(TokenRejection.INVALID_TIME_CLAIM);
        }
    }

    private Principal principalOf(DecodedJWT jwt) {
        Claim subject = jwt.getClaim("sub");
        String userId = subject.asString();
        if (subject.isMissing() || subject.isNull() || (userId != null && userId.isBlank())) {
            throw new Refused(TokenRejection.MISSING_SUBJECT);
        }
        // Kept exactly as given (it is compared with created_by and audit user ids): never trimmed.
        if (userId == null || !userId.equals(userId.strip()) || !isPrintable(userId)) {
            throw new Refused(TokenRejection.INVALID_SUBJECT);
        }
        String email = email(jwt.getClaim("email"));
        Role role = appRole(jwt).orElseThrow(() -> new Refused(TokenRejection.NO_APP_ROLE));
        return new Principal(userId, email, role);
    }

    /** Absent, null or blank: none. Otherwise a string of printable characters, else the token is refused. */
    private static String email(Claim claim) {
        if (claim.isMissing() || claim.isNull()) {
            return null;
        }
        String email = claim.asString();
        if (email == null || !isPrintable(email)) {
            throw new Refused(TokenRejection.INVALID_EMAIL);
        }
        return email.isBlank() ? null : email.strip();
    }

    /** No control characters (C0, DEL, C1) and no unpaired surrogates. */
    static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static TokenRejection rejectionFor(JWTVerificationException e) {
        return switch (e) {
            case JWTDecodeException ignored -> TokenRejection.MALFORMED;
            case AlgorithmMismatchException ignored -> TokenRejection.ALGORITHM_NOT_ALLOWED;
            case SignatureVerificationException ignored -> TokenRejection.BAD_SIGNATURE;
            case TokenExpiredException ignored -> TokenRejection.EXPIRED;
            case MissingClaimException missing -> rejectionForClaim(missing.getClaimName());
            case IncorrectClaimException incorrect -> rejectionForClaim(incorrect.getClaimName());
            default -> TokenRejection.INVALID;
        };
    }

    private static TokenRejection rejectionForClaim(String claim) {
        return switch (claim == null ? "" : claim) {
            case "exp" -> TokenRejection.MISSING_EXPIRY;
            case "nbf" -> TokenRejection.NOT_YET_VALID;
            case "iat" -> TokenRejection.ISSUED_IN_FUTURE;
            case "iss" -> TokenRejection.WRONG_ISSUER;
            case "aud" -> TokenRejection.WRONG_AUDIENCE;
            default -> TokenRejection.INVALID;
        };
    }

    /**
     * The role at the first configured claim path that holds a value (JSON {@code null} counts as
     * absent). That value decides: when it names no known role, there is no role — a later path
     * is not consulted.
     */
    private Optional<Role> appRole(DecodedJWT jwt) {
        for (String[] path : roleClaimPaths) {
            Optional<Object> value = valueAt(jwt, path);
            if (value.isPresent()) {
                return value.get() instanceof String text ? Role.parse(text) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Object> valueAt(DecodedJWT jwt, String[] path) {
        Claim claim = jwt.getClaim(path[0]);
        if (claim.isMissing() || claim.isNull()) {
            return Optional.empty();
        }
        if (path.length == 1) {
            String text = claim.asString();
            return Optional.of(text != null ? text : claim);
        }
        Object value = safeAsMap(claim);
        for (int i = 1; i < path.length && value != null; i++) {
            value = value instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        return Optional.ofNullable(value);
    }

    private static Map<String, Object> safeAsMap(Claim claim) {
        try {
            return claim.asMap();
        } catch (JWTDecodeException notAnObject) {
            return null;
        }
    }

    /** A token refused for {@link #reason}; thrown within this class only, never carries token text. */
    private static final class Refused extends RuntimeException {
        private final TokenRejection reason;

        Refused(TokenRejection reason) {
            super(reason.wire(), null, false, false);
            this.reason = reason;
        }
    }
}
