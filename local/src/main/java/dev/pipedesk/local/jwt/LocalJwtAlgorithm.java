package dev.pipedesk.local.jwt;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the local stack signs the tokens it hands out (banner, {@code ./pipedesk token}, tests):
 * {@code LOCAL_JWT_ALG}. The local authorizer accepts both kinds either way.
 */
public enum LocalJwtAlgorithm {
    /** With the JWT secret ({@code JWT_HS256_SECRET}), like Supabase's legacy secret. */
    HS256,
    /** With the local ES256 key, published at the local JWKS URL, like Supabase's signing keys. */
    ES256;

    public static final String VARIABLE = dev.pipedesk.local.LocalStackOptions.Variable.LOCAL_JWT_ALG.name();

    /**
     * {@code HS256} or {@code ES256}, any case.
     *
     * @throws IllegalArgumentException for anything else, naming the variable
     */
    public static LocalJwtAlgorithm parse(String value) {
        return Arrays.stream(values()).filter(a -> a.name().equals(value.trim().toUpperCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(VARIABLE + " must be HS256 or ES256, got '" + value + "'"));
    }
}
