package dev.pipedesk.local.jwt;

import dev.pipedesk.auth.Es256KeyPair;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.TokenIssuer;
import dev.pipedesk.local.LocalStackException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The tokens of the local stack: HS256 with the JWT secret or ES256 with the local key (kept in
 * {@link #keyFile(Path)} and reused across runs), {@code iss}/{@code aud} as the authorizer
 * expects them. The banner, {@code ./pipedesk token} and the tests all issue through this.
 */
public final class LocalTokens {
    /** Banner and {@code ./pipedesk token} tokens are valid this long. */
    public static final Duration TOKEN_TTL = Duration.ofHours(12);

    private final JwtSettings settings;
    private final Es256KeyPair key;
    private final LocalJwtAlgorithm algorithm;
    private final Clock clock;

    /**
     * @param settings  the authorizer's settings (the HS256 secret, issuer and audience are used)
     * @param key       the local ES256 key
     * @param algorithm what {@link #issuer()} signs with
     */
    public LocalTokens(JwtSettings settings, Es256KeyPair key, LocalJwtAlgorithm algorithm, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code <repo>/local/target/local-jwt/es256-private.jwk.json}: under the build folder, never committed. */
    public static Path keyFile(Path repoRoot) {
        return repoRoot.resolve("local").resolve("target").resolve("local-jwt").resolve("es256-private.jwk.json");
    }

    /**
     * The ES256 key in {@code file}; when there is none yet, a new one written there first
     * (owner-only permissions where the file system has them).
     *
     * @throws LocalStackException when the file cannot be read or written, or holds no such key
     */
    public static Es256KeyPair loadOrCreateKey(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path temporary = Files.createTempFile(file.getParent(), "es256-", ".tmp");
                try {
                    restrictToOwner(temporary);
                    Files.writeString(temporary, Es256KeyPair.generate().privateJwkJson() + System.lineSeparator(),
                            StandardCharsets.UTF_8);
                    Files.move(temporary, file);
                } catch (FileAlreadyExistsException createdMeanwhile) {
                    // Another process (the stack, ./pipedesk token) created it first: use theirs.
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            return Es256KeyPair.fromPrivateJwk(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LocalStackException("Cannot read or create the local ES256 key " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new LocalStackException("The local ES256 key " + file + " is not usable (" + e.getMessage()
                    + "). Delete it: the next start creates a new one.", e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    public LocalJwtAlgorithm algorithm() {
        return algorithm;
    }

    public Es256KeyPair key() {
        return key;
    }

    /** Signs with {@link #algorithm()}. */
    public TokenIssuer issuer() {
        return issuer(algorithm);
    }

    public TokenIssuer issuer(LocalJwtAlgorithm kind) {
        return switch (kind) {
            case HS256 -> new TokenIssuer(settings, clock);
            case ES256 -> TokenIssuer.es256(key, settings, clock);
        };
    }
}
