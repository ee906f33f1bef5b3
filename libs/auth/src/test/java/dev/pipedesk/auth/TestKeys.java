package dev.pipedesk.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fixed keys in {@code src/test/resources/jwt-test-keys} and their public JWKs. */
final class TestKeys {
    static final RsaKey RSA_2048 = rsa("rsa-2048.pk8.pem");
    static final RsaKey RSA_1024 = rsa("rsa-1024.pk8.pem");
    static final Es256KeyPair EC_A = Es256KeyPair.fromPrivateJwk(resource("ec-p256-a.jwk.json"));
    static final Es256KeyPair EC_B = Es256KeyPair.fromPrivateJwk(resource("ec-p256-b.jwk.json"));

    private TestKeys() {
    }

    record RsaKey(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey) {
        /** The public JWK ({@code kty}, {@code n}, {@code e}, {@code kid}, {@code use: sig}), without {@code alg}. */
        Map<String, Object> publicJwk(String kid) {
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("kid", kid);
            jwk.put("use", "sig");
            jwk.put("n", unsigned(publicKey.getModulus()));
            jwk.put("e", unsigned(publicKey.getPublicExponent()));
            return jwk;
        }

        private static String unsigned(BigInteger value) {
            byte[] bytes = value.toByteArray();
            int start = bytes[0] == 0 && bytes.length > 1 ? 1 : 0;
            byte[] trimmed = new byte[bytes.length - start];
            System.arraycopy(bytes, start, trimmed, 0, trimmed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(trimmed);
        }
    }

    /** {@code key}'s public JWK under another {@code kid}. */
    static Map<String, Object> ecJwk(Es256KeyPair key, String kid) {
        Map<String, Object> jwk = new LinkedHashMap<>(key.publicJwk());
        jwk.put("kid", kid);
        return jwk;
    }

    private static RsaKey rsa(String name) {
        String pem = resource(name).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new RsaKey(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = TestKeys.class.getResourceAsStream("/jwt-test-keys/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test key " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
