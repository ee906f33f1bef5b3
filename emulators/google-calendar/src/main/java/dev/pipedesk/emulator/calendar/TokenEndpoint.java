package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OAuth token endpoint ({@code POST /token}) for the service-account JWT bearer grant, and
 * the map from issued access tokens back to the identity that asked for them. The assertion is
 * decoded, not verified: {@code iss} is the service account, {@code sub} the impersonated user.
 */
final class TokenEndpoint {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final int EXPIRES_IN_SECONDS = 3599;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Identity> issued = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    ApiResponse handle(ApiRequest request) {
        if (!"POST".equals(request.method())) {
            return oauthError(405, "invalid_request", "Use POST.");
        }
        Map<String, List<String>> form = ApiRequest.parseForm(request.bodyText());
        String grantType = first(form, "grant_type");
        if (!JWT_BEARER.equals(grantType)) {
            return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
        }
        String assertion = first(form, "assertion");
        JsonNode claims = decodeClaims(assertion);
        if (claims == null || !claims.hasNonNull("iss")) {
            return oauthError(400, "invalid_grant", "Invalid JWT Signature.");
        }
        String subject = claims.hasNonNull("sub") ? claims.get("sub").asString() : null;
        Identity identity = Identity.serviceAccount(claims.get("iss").asString(), subject);
        String token = "ya29.emu." + randomToken();
        issued.put(token, identity);

        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", EXPIRES_IN_SECONDS);
        body.put("token_type", "Bearer");
        return ApiResponse.ok(body);
    }

    Optional<Identity> identityFor(String accessToken) {
        return Optional.ofNullable(issued.get(accessToken));
    }

    /** Whether the token was issued here and revoked since: Google answers it 401. */
    boolean isRevoked(String accessToken) {
        return revoked.contains(accessToken);
    }

    /** Revokes every token issued so far. */
    void revokeAll() {
        revoked.addAll(issued.keySet());
        issued.keySet().removeAll(revoked);
    }

    /** Revoked tokens count as unknown ones again (a reset). */
    void forgetRevocations() {
        revoked.clear();
    }

    private static JsonNode decodeClaims(String assertion) {
        if (assertion == null) {
            return null;
        }
        String[] parts = assertion.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            return Json.MAPPER.readTree(new String(payload, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JacksonException e) {
            return null;
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static ApiResponse oauthError(int status, String error, String description) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        return new ApiResponse.Json(status, body, Map.of());
    }
}
