package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Json;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Service-account key files whose {@code token_uri} points at the emulator. */
final class ServiceAccountKeys {

    static final String PROJECT_ID = "pipedesk-emulator";
    static final String PROJECT_NUMBER = "100000000001";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceAccountKeys() {
    }

    /**
     * A key file like the one the Google Cloud console downloads: a fresh 2048-bit RSA key in
     * PKCS#8 PEM, usable with {@code ServiceAccountCredentials.fromStream}.
     */
    static String keyJson(String clientEmail, URI tokenUri) {
        KeyPair keyPair = newRsaKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keyPair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        byte[] keyId = new byte[20];
        RANDOM.nextBytes(keyId);

        ObjectNode key = Json.MAPPER.createObjectNode();
        key.put("type", "service_account");
        key.put("project_id", PROJECT_ID);
        key.put("private_key_id", HexFormat.of().formatHex(keyId));
        key.put("private_key", pem);
        key.put("client_email", clientEmail);
        key.put("client_id", String.valueOf(100_000_000_000_000_000L + Math.floorMod(RANDOM.nextLong(), 800_000_000_000_000_000L)));
        key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        key.put("token_uri", tokenUri.toString());
        key.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        key.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/"
                + URLEncoder.encode(clientEmail, StandardCharsets.UTF_8));
        key.put("universe_domain", "googleapis.com");
        return Json.write(key);
    }

    private static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }
}
