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

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies bearer tokens: signature with the configured key (its algorithm pinned — a token
 * claiming {@code none}, RS256 or HS512 against an HS256 secret is refused), {@code exp}
 * required, {@code nbf} and {@code iat} honoured, issuer and audience when configured, all
 * with the configured leeway; then {@code sub} (required), {@code email} (optional) and the
 * application role from the configured claim paths.
 *
 * <p>Thread-safe; build one per container and reuse it.
 */
public final class TokenVerifier {
    /** Longer headers are refused before any parsing. */
    static final int MAX_TOKEN_LENGTH = 8192;

    private static final String BEARER = "bearer ";

    private final JwtSettings settings;
    private final JWTVerifier verifier;
    private final List<String[]> roleClaimPaths;

    public TokenVerifier(JwtSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public TokenVerifier(JwtSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        this.verifier = buildVerifier(settings, clock);
        this.roleClaimPaths = settings.roleClaimPaths().stream().map(path -> path.split("\\.")).toList();
    }

    public JwtSettings settings() {
        return settings;
    }

    /**
     * The principal an {@code Authorization} header value ({@code Bearer <jwt>}) or a bare token
     * stands for.
     *
     * @throws ApiException {@code UNAUTHORIZED} for a missing, malformed, forged or expired token,
     *                      {@code FORBIDDEN} for a valid token without a known application role;
     *                      the message is generic and never contains the token
     */
    public Principal verify(String authorizationHeaderOrToken) {
        return switch (check(authorizationHeaderOrToken)) {
            case VerificationResult.Verified verified -> verified.principal();
            case VerificationResult.Rejected rejected -> throw rejected.reason().toApiException();
        };
    }

    /** Like {@link #verify(String)}, but reports a refusal as a value with its reason. */
    public VerificationResult check(String authorizationHeaderOrToken) {
        Optional<String> token = bearerToken(authorizationHeaderOrToken);
        if (token.isEmpty()) {
            return new VerificationResult.Rejected(TokenRejection.MISSING_TOKEN);
        }
        if (token.get().length() > MAX_TOKEN_LENGTH || token.get().chars().anyMatch(Character::isWhitespace)) {
            return new VerificationResult.Rejected(TokenRejection.MALFORMED);
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token.get());
        } catch (JWTVerificationException e) {
            return new VerificationResult.Rejected(rejectionFor(e));
        }
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            return new VerificationResult.Rejected(TokenRejection.MISSING_SUBJECT);
        }
        Optional<Role> role = appRole(jwt);
        if (role.isEmpty()) {
            return new VerificationResult.Rejected(TokenRejection.NO_APP_ROLE);
        }
        return new VerificationResult.Verified(new Principal(subject.trim(), textClaim(jwt.getClaim("email")), role.get()));
    }

    /** The token in {@code Bearer <token>} (scheme case-insensitive) or a bare token; empty if blank. */
    static Optional<String> bearerToken(String headerOrToken) {
        if (headerOrToken == null) {
            return Optional.empty();
        }
        String value = headerOrToken.trim();
        if (value.equalsIgnoreCase(BEARER.trim())) {
            return Optional.empty();
        }
        if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            value = value.substring(BEARER.length()).trim();
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * The verifier for the configured key. Each key kind pins its algorithm here; a JWKS key
     * source would resolve the key by {@code kid} and pick RS256/ES256 from the key's type.
     */
    private static JWTVerifier buildVerifier(JwtSettings settings, Clock clock) {
        Algorithm algorithm = switch (settings.signingKey()) {
            case JwtSettings.Hs256Secret hs256 -> Algorithm.HMAC256(hs256.secret());
        };
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

    /** The first configured claim path whose value names a known role. */
    private Optional<Role> appRole(DecodedJWT jwt) {
        for (String[] path : roleClaimPaths) {
            Optional<Role> role = Role.parse(valueAt(jwt, path));
            if (role.isPresent()) {
                return role;
            }
        }
        return Optional.empty();
    }

    private static String valueAt(DecodedJWT jwt, String[] path) {
        Claim claim = jwt.getClaim(path[0]);
        if (path.length == 1) {
            return textClaim(claim);
        }
        Object value = claim.isMissing() || claim.isNull() ? null : safeAsMap(claim);
        for (int i = 1; i < path.length && value != null; i++) {
            value = value instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        return value instanceof String text ? text : null;
    }

    private static Map<String, Object> safeAsMap(Claim claim) {
        try {
            return claim.asMap();
        } catch (JWTDecodeException notAnObject) {
            return null;
        }
    }

    private static String textClaim(Claim claim) {
        String text = claim.asString();
        return text == null || text.isBlank() ? null : text.trim();
    }
}
