package dev.pipedesk.auth;

import com.auth0.jwk.InvalidPublicKeyException;
import com.auth0.jwk.Jwk;
import com.auth0.jwk.SigningKeyNotFoundException;
import com.auth0.jwk.UrlJwkProvider;
import com.auth0.jwt.algorithms.Algorithm;

import java.net.MalformedURLException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The verification keys published at a JWKS URL, fetched with jwks-rsa's {@link UrlJwkProvider}
 * and kept in memory. Each usable key is pinned to one algorithm by its own type: an RSA key of
 * at least 2048 bits to RS256, an EC P-256 key to ES256. A key whose {@code use} is not
 * {@code sig}, whose {@code alg} names anything else, or of any other type or curve is ignored.
 *
 * <p>The whole set is fetched when a token names a {@code kid} it does not hold, or when it is
 * older than {@link #MAX_AGE}; never more often than once per {@link #MIN_REFRESH_INTERVAL}, so
 * tokens with made-up key ids cannot make the authorizer hammer the identity provider. A failed
 * fetch keeps the keys already held. Thread-safe.
 */
final class JwksKeys {
    /** At most one fetch per minute, whatever the tokens say. */
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofMinutes(1);
    /** Keys are fetched again when older than this, so a key the provider withdrew stops working. */
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 3_000;
    static final int MIN_RSA_BITS = 2048;

    private static final Logger LOG = Logger.getLogger(JwksKeys.class.getName());

    /** A published key and the one algorithm it verifies. */
    record PinnedKey(String keyId, Algorithm algorithm) {
    }

    /** What a lookup found. */
    sealed interface Lookup permits Found, UnknownKey, Unavailable {
    }

    record Found(PinnedKey key) implements Lookup {
    }

    /** The set (fetched, or too recently fetched to try again) holds no such key. */
    record UnknownKey() implements Lookup {
    }

    /** The set could not be fetched and no key is held at all. */
    record Unavailable() implements Lookup {
    }

    private final UrlJwkProvider provider;
    private final InstantSource clock;
    private Map<String, PinnedKey> keys = Map.of();
    private Instant fetchedAt;
    private Instant lastAttempt;
    private boolean everFetched;

    JwksKeys(JwtSettings.JwksUrl source, InstantSource clock) {
        try {
            this.provider = new UrlJwkProvider(source.url().toURL(), CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("The JWKS URL is not a URL", e);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The key {@code keyId} names, fetching the set first when it lacks it or is stale (and may be fetched). */
    synchronized Lookup find(String keyId) {
        Instant now = clock.instant();
        boolean stale = fetchedAt == null || !now.isBefore(fetchedAt.plus(MAX_AGE));
        if ((stale || !keys.containsKey(keyId)) && mayFetch(now)) {
            fetch(now);
        }
        PinnedKey key = keys.get(keyId);
        if (key != null) {
            return new Found(key);
        }
        return everFetched ? new UnknownKey() : new Unavailable();
    }

    private boolean mayFetch(Instant now) {
        return lastAttempt == null || !now.isBefore(lastAttempt.plus(MIN_REFRESH_INTERVAL));
    }

    private void fetch(Instant now) {
        lastAttempt = now;
        List<Jwk> published;
        try {
            published = provider.getAll();
        } catch (SigningKeyNotFoundException | RuntimeException e) {
            LOG.warning(() -> "security: the JWKS could not be fetched (" + e.getClass().getSimpleName()
                    + "); keeping " + keys.size() + " key(s) fetched before");
            return;
        }
        Map<String, PinnedKey> pinned = new HashMap<>();
        for (Jwk jwk : published) {
            pin(jwk).ifPresent(key -> pinned.putIfAbsent(key.keyId(), key));
        }
        keys = Map.copyOf(pinned);
        fetchedAt = now;
        everFetched = true;
    }

    /** The algorithm this key may verify, decided by the key itself; empty when it is not usable. */
    static Optional<PinnedKey> pin(Jwk jwk) {
        if (jwk.getId() == null || jwk.getId().isEmpty() || (jwk.getUsage() != null && !jwk.getUsage().equals("sig"))) {
            return Optional.empty();
        }
        PublicKey publicKey;
        try {
            publicKey = jwk.getPublicKey();
        } catch (InvalidPublicKeyException | RuntimeException e) {
            return Optional.empty();
        }
        String declared = jwk.getAlgorithm();
        return switch (publicKey) {
            case RSAPublicKey rsa when rsa.getModulus().bitLength() >= MIN_RSA_BITS && allows(declared, "RS256") ->
                    Optional.of(new PinnedKey(jwk.getId(), Algorithm.RSA256(rsa, null)));
            case ECPublicKey ec when "P-256".equals(jwk.getAdditionalAttributes().get("crv"))
                    && ec.getParams().getCurve().getField().getFieldSize() == 256 && allows(declared, "ES256") ->
                    Optional.of(new PinnedKey(jwk.getId(), Algorithm.ECDSA256(ec, null)));
            default -> Optional.empty();
        };
    }

    private static boolean allows(String declared, String algorithm) {
        return declared == null || declared.equals(algorithm);
    }
}
