package dev.pipedesk.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Es256KeyPairTest {

    @Test
    void thePrivateJwkRoundTrips() {
        Es256KeyPair key = TestKeys.EC_A;

        assertThat(Es256KeyPair.fromPrivateJwk(key.privateJwkJson())).isEqualTo(key);
    }

    @Test
    void theKeyIdIsTheRfc7638ThumbprintAndStable() {
        // The kid stored in the fixed test key was computed when it was generated.
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = Json.read(TestKeys.EC_A.privateJwkJson(), Map.class);
        assertThat(TestKeys.EC_A.keyId()).isEqualTo("OhfRll4wTYpm3GMWeYE2XG7IueWTvclafKL4aAnYM4E")
                .isEqualTo(stored.get("kid"));
        assertThat(TestKeys.EC_B.keyId()).isNotEqualTo(TestKeys.EC_A.keyId());
    }

    @Test
    void thePublicJwkAndJwksCarryNoPrivatePart() {
        Map<String, Object> jwk = TestKeys.EC_A.publicJwk();

        assertThat(jwk).containsOnlyKeys("kty", "crv", "x", "y", "kid", "use", "alg")
                .containsEntry("kty", "EC").containsEntry("crv", "P-256").containsEntry("alg", "ES256").containsEntry("use", "sig");
        assertThat(TestKeys.EC_A.publicJwksJson()).doesNotContain("\"d\"").startsWith("{\"keys\":[{");
    }

    @Test
    void signsTokensItsPublicKeyVerifies() {
        String token = JWT.create().withSubject("u").sign(Algorithm.ECDSA256(TestKeys.EC_A.publicKey(), TestKeys.EC_A.privateKey()));

        Algorithm.ECDSA256(TestKeys.EC_A.publicKey(), null).verify(JWT.decode(token));
    }

    @Test
    void neverPrintsThePrivateKey() {
        @SuppressWarnings("unchecked")
        String d = (String) Json.read(TestKeys.EC_A.privateJwkJson(), Map.class).get("d");

        assertThat(TestKeys.EC_A.toString()).doesNotContain(d).contains(TestKeys.EC_A.keyId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{}", "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\",\"d\":\"AA\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\",\"d\":\"secret-d-value\"}"})
    void refusesAnythingButAP256PrivateJwkWithoutQuotingIt(String json) {
        assertThatThrownBy(() -> Es256KeyPair.fromPrivateJwk(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret-d-value");
    }
}
