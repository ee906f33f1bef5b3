package dev.pipedesk.local.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.pipedesk.auth.Es256KeyPair;
import dev.pipedesk.auth.Role;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The running stack's authorizer takes HS256 and ES256 tokens (the latter through the local JWKS), and only Bearer. */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class LocalJwtStackTest {
    private static final String EVENTS = "/api/calendar/events";
    /** A fixed P-256 key that is not the stack's (test-only, public). */
    private static final Es256KeyPair STRANGER = Es256KeyPair.fromPrivateJwk("""
            {"kty":"EC","crv":"P-256","x":"%s","y":"%s","d":"%s"}""".formatted(
            "V8YLp5y4WmNW-8_XieUBi8W9ByKkfl6_kcFFiIwyTL8", "ipw0kf06EWXf4SN3smeWjt4fbZU_K1RXfP11b-BANP8",
            "_1KelmPFNnzzrcKvcj_VGCozGQh7-2msHXdCIKEP2Gw"));

    @Test
    void anEs256TokenSignedWithTheLocalKeyIsVerifiedThroughTheLocalJwks(Api api, LocalStack stack) {
        String viewer = stack.tokenIssuer(LocalJwtAlgorithm.ES256).issue("es-viewer", null, "viewer", Duration.ofMinutes(5));
        assertThat(JWT.decode(viewer).getKeyId()).isEqualTo(stack.signingKeyId());

        ApiResponse response = api.withAuthorization("Bearer " + viewer).post(EVENTS, java.util.Map.of());

        // Verified and read as a viewer: the route policy, not the token check, refuses it.
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.at("/error/message").asString()).isEqualTo("This request needs the sales role or higher.");
    }

    @Test
    void anEs256TokenFromAnotherKeyUnderTheLocalKidIsRefused(Api api, LocalStack stack) {
        String forged = JWT.create().withKeyId(stack.signingKeyId())
                .withIssuer(stack.jwtSettings().issuer()).withAudience(stack.jwtSettings().audience())
                .withSubject("intruder").withClaim("app_metadata", java.util.Map.of("role", "admin"))
                .withExpiresAt(Instant.now().plusSeconds(300))
                .sign(Algorithm.ECDSA256(STRANGER.publicKey(), STRANGER.privateKey()));

        ApiResponse response = api.withAuthorization("Bearer " + forged).get(EVENTS);

        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.header("www-authenticate")).hasValue("Bearer");
    }

    @Test
    void aBareTokenOrNoTokenIs401WithABearerChallenge(Api api, LocalStack stack) {
        String token = stack.token(Role.ADMIN, "bare");

        ApiResponse bare = api.withAuthorization(token).get(EVENTS);
        ApiResponse none = api.anonymous().get(EVENTS);

        assertThat(bare.status()).as(bare.toString()).isEqualTo(401);
        assertThat(bare.errorCode()).hasValue("unauthorized");
        assertThat(bare.at("/error/message").asString()).isEqualTo("Send the access token as 'Authorization: Bearer <token>'.");
        assertThat(bare.header("www-authenticate")).hasValue("Bearer");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("www-authenticate")).hasValue("Bearer");
    }

    @Test
    void aTokenWithANulInItsRoleIsRefused(Api api, LocalStack stack) {
        String token = stack.token("admin\u0000", "nul-role", null, Duration.ofMinutes(5));

        ApiResponse response = api.withAuthorization("Bearer " + token).get(EVENTS);

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.header("www-authenticate")).isEmpty();
    }

    @Test
    void theJwksUrlServesTheLocalPublicKey(LocalStack stack) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(stack.jwksUrl()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(jwks.statusCode()).isEqualTo(200);
            assertThat(jwks.body()).contains("\"kid\":\"" + stack.signingKeyId() + "\"").contains("\"alg\":\"ES256\"")
                    .doesNotContain("\"d\"");
        }
        assertThat(stack.signingKeyFile()).isRegularFile();
    }
}
