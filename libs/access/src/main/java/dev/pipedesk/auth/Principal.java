package dev.pipedesk.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The verified caller of a request.
 *
 * @param userId the token's {@code sub}, never blank
 * @param email  the token's {@code email} claim, or null when the token has none
 * @param role   the application role
 */
public record Principal(String userId, String email, Role role) {

    static final String USER_ID = "userId";
    static final String EMAIL = "email";
    static final String ROLE = "role";

    public Principal {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
        Objects.requireNonNull(role, "role");
    }

    /**
     * The context the authorizer hands to API Gateway, which passes it on to the functions as
     * {@code requestContext.authorizer.lambda}: {@code userId}, {@code email} (left out when the
     * token has none, since the gateway only carries non-null values) and {@code role} as its
     * wire name.
     */
    public Map<String, Object> toAuthorizerContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(USER_ID, userId);
        if (email != null) {
            context.put(EMAIL, email);
        }
        context.put(ROLE, role.wire());
        return context;
    }

    /**
     * Reads the principal back from {@code requestContext.authorizer.lambda}. Empty when the
     * context is missing, has no user id or no known role — callers must then refuse the
     * request; they never fall back to client-supplied headers.
     */
    public static Optional<Principal> fromAuthorizerContext(Map<String, ?> lambdaContext) {
        if (lambdaContext == null) {
            return Optional.empty();
        }
        String userId = text(lambdaContext.get(USER_ID));
        Optional<Role> role = Role.parse(text(lambdaContext.get(ROLE)));
        if (userId == null || role.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Principal(userId, text(lambdaContext.get(EMAIL)), role.get()));
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }
}
