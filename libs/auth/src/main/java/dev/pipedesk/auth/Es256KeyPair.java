package dev.pipedesk.auth;

import dev.pipedesk.core.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An EC P-256 key pair that signs ES256 tokens, with its JSON Web Key forms (RFC 7517/7518):
 * the private JWK to keep it in a file, the public JWK and JWKS to publish it. The key id is
 * the key's RFC 7638 thumbprint, so the same key always has the same {@code kid}.
 *
 * <p>For the local stack and tests; in production the identity provider holds the private key.
 */
public record Es256KeyPair(ECPublicKey publicKey, ECPrivateKey privateKey) {
    private static final String CURVE = "P-256";
    private static final int COORDINATE_BYTES = 32;
    private static final ECParameterSpec P256 = p256();

    public Es256KeyPair {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        if (publicKey.getParams().getCurve().getField().getFieldSize() != 256
                || !publicKey.getParams().getCurve().equals(P256.getCurve())) {
            throw new IllegalArgumentException("An ES256 key must be on the P-256 curve");
        }
    }

    /** A fresh key pair from the platform's secure random source. */
    public static Es256KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new Es256KeyPair((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot generate P-256 keys", e);
        }
    }

    /**
     * Reads a private JWK ({@code kty} EC, {@code crv} P-256, {@code x}, {@code y}, {@code d}).
     *
     * @throws IllegalArgumentException when the text is not such a key (the message never quotes it)
     */
    public static Es256KeyPair fromPrivateJwk(String json) {
        JsonNode jwk;
        try {
            jwk = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("The private key is not valid JSON");
        }
        if (jwk == null || !"EC".equals(text(jwk, "kty")) || !CURVE.equals(text(jwk, "crv"))) {
            throw new IllegalArgumentException("The private key is not an EC P-256 JWK");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(
                    new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")), P256));
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(unsigned(jwk, "d"), P256));
            return new Es256KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The private key is not a valid EC P-256 JWK");
        }
    }

    /** The RFC 7638 thumbprint of the public key (base64url SHA-256 of its required members). */
    public String keyId() {
        String canonical = "{\"crv\":\"" + CURVE + "\",\"kty\":\"EC\",\"x\":\"" + x() + "\",\"y\":\"" + y() + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return base64Url(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The public JWK: {@code kty}, {@code crv}, {@code x}, {@code y}, {@code kid}, {@code use: sig}, {@code alg: ES256}. */
    public Map<String, Object> publicJwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", CURVE);
        jwk.put("x", x());
        jwk.put("y", y());
        jwk.put("kid", keyId());
        jwk.put("use", "sig");
        jwk.put("alg", "ES256");
        return jwk;
    }

    /** {@code {"keys":[<the public JWK>]}}, what a JWKS URL serves. */
    public String publicJwksJson() {
        return Json.write(Map.of("keys", List.of(publicJwk())));
    }

    /** The public JWK plus {@code d}: keep it private (it signs tokens). */
    public String privateJwkJson() {
        Map<String, Object> jwk = publicJwk();
        jwk.put("d", base64Url(fixedLength(privateKey.getS())));
        return Json.write(jwk);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "Es256KeyPair[kid=" + keyId() + ", privateKey=***]";
    }

    private String x() {
        return base64Url(fixedLength(publicKey.getW().getAffineX()));
    }

    private String y() {
        return base64Url(fixedLength(publicKey.getW().getAffineY()));
    }

    /** RFC 7518 §6.2.1: coordinates and {@code d} are unsigned big-endian, exactly 32 bytes. */
    private static byte[] fixedLength(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == COORDINATE_BYTES) {
            return bytes;
        }
        byte[] fixed = new byte[COORDINATE_BYTES];
        int length = Math.min(bytes.length, COORDINATE_BYTES);
        System.arraycopy(bytes, bytes.length - length, fixed, COORDINATE_BYTES - length, length);
        return fixed;
    }

    private static BigInteger unsigned(JsonNode jwk, String member) {
        String value = text(jwk, member);
        if (value == null) {
            throw new IllegalArgumentException("missing " + member);
        }
        byte[] bytes = Base64.getUrlDecoder().decode(value);
        if (bytes.length != COORDINATE_BYTES) {
            throw new IllegalArgumentException(member + " must be " + COORDINATE_BYTES + " bytes");
        }
        return new BigInteger(1, bytes);
    }

    private static String text(JsonNode jwk, String member) {
        JsonNode node = jwk.get(member);
        return node != null && node.isString() ? node.asString() : null;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM does not know the P-256 curve", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Es256KeyPair that && publicKey.equals(that.publicKey)
                && Arrays.equals(privateKey.getEncoded(), that.privateKey.getEncoded());
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }
}
