package dev.pipedesk.local.jwt;

import com.auth0.jwt.JWT;
import dev.pipedesk.auth.Es256KeyPair;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.TokenVerifier;
import dev.pipedesk.core.Json;
import dev.pipedesk.local.LocalStackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local stack's signing key, its JWKS endpoint and its two kinds of tokens, without the stack. */
class LocalTokensTest {
    private static final String SECRET = "local-tokens-test-secret-0123456789abcdef";

    @Test
    void theKeyIsCreatedOnceOwnerOnlyAndReused(@TempDir Path repo) throws Exception {
        Path file = LocalTokens.keyFile(repo);
        assertThat(repo.relativize(file)).isEqualTo(Path.of("local/target/local-jwt/es256-private.jwk.json"));

        Es256KeyPair first = LocalTokens.loadOrCreateKey(file);
        Es256KeyPair again = LocalTokens.loadOrCreateKey(file);

        assertThat(again).isEqualTo(first);
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(Files.readString(file)).contains("\"d\"");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void anUnusableKeyFileSaysToDeleteIt(@TempDir Path repo) throws Exception {
        Path file = LocalTokens.keyFile(repo);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"kty\":\"EC\",\"crv\":\"P-256\"}");

        assertThatThrownBy(() -> LocalTokens.loadOrCreateKey(file))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("Delete it");
    }

    @Test
    void theJwksEndpointServesThePublicKeyOnly(@TempDir Path repo) throws Exception {
        Es256KeyPair key = LocalTokens.loadOrCreateKey(LocalTokens.keyFile(repo));
        try (LocalJwks jwks = LocalJwks.start(key); HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(jwks.url()).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(jwks.url().resolve("/other")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(jwks.url().toString()).startsWith("http://127.0.0.1:").endsWith("/.well-known/jwks.json");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(Json.read(served.body(), Map.class)).isEqualTo(Map.of("keys", List.of(key.publicJwk())));
            assertThat(elsewhere.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void bothKindsOfTokenVerifyAgainstTheSecretAndTheLocalJwks(@TempDir Path repo) throws Exception {
        Es256KeyPair key = LocalTokens.loadOrCreateKey(LocalTokens.keyFile(repo));
        try (LocalJwks jwks = LocalJwks.start(key)) {
            JwtSettings settings = JwtSettings.jwks(jwks.url(), "pipedesk-local", "authenticated").withHs256Secret(SECRET);
            TokenVerifier verifier = new TokenVerifier(settings);
            LocalTokens tokens = new LocalTokens(settings, key, LocalJwtAlgorithm.ES256, Clock.systemUTC());

            String es256 = tokens.issuer().issue("u-1", "u1@pipedesk.local", "sales", Duration.ofMinutes(5));
            String hs256 = tokens.issuer(LocalJwtAlgorithm.HS256).issue("u-2", null, "viewer", Duration.ofMinutes(5));

            assertThat(JWT.decode(es256).getAlgorithm()).isEqualTo("ES256");
            assertThat(JWT.decode(es256).getKeyId()).isEqualTo(key.keyId());
            assertThat(JWT.decode(hs256).getAlgorithm()).isEqualTo("HS256");
            assertThat(verifier.verify("Bearer " + es256)).isEqualTo(new Principal("u-1", "u1@pipedesk.local", Role.SALES));
            assertThat(verifier.verify("Bearer " + hs256)).isEqualTo(new Principal("u-2", null, Role.VIEWER));
        }
    }

    @Test
    void theAlgorithmIsHs256OrEs256InAnyCase() {
        assertThat(LocalJwtAlgorithm.parse("es256")).isEqualTo(LocalJwtAlgorithm.ES256);
        assertThat(LocalJwtAlgorithm.parse(" HS256 ")).isEqualTo(LocalJwtAlgorithm.HS256);
        assertThatThrownBy(() -> LocalJwtAlgorithm.parse("RS256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LOCAL_JWT_ALG");
    }
}
