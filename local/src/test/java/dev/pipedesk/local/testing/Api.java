package dev.pipedesk.local.testing;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.LocalStack;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The local API as a test sees it: pick a caller, then send requests. Every response is checked
 * against {@code docs/api/openapi.yaml} of the stack's checkout (see {@link ApiClient}).
 *
 * <pre>{@code
 * Api api = LocalStackExtension.api();
 * ApiResponse r = api.as(Role.SALES, "user-1").post("/api/calendar/events", Map.of(...));
 * assertThat(r.status()).as(r.toString()).isEqualTo(201);
 * }</pre>
 */
public final class Api {
    private final LocalStack stack;
    private final HttpClient http;
    private final OpenApiContract contract;

    public Api(LocalStack stack) {
        this.stack = stack;
        this.contract = OpenApiContract.ofCheckout(stack.repoRoot());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public URI baseUrl() {
        return stack.apiBaseUrl();
    }

    /** A caller with a valid token for this role and user (email {@code <userId>@pipedesk.local}). */
    public ApiClient as(Role role, String userId) {
        return withAuthorization("Bearer " + stack.token(role, userId));
    }

    /** A caller with a valid token for this role, user and email. */
    public ApiClient as(Role role, String userId, String email) {
        return withAuthorization("Bearer " + stack.token(role, userId, email));
    }

    /** A caller sending this exact {@code Authorization} header (expired, forged, garbage...). */
    public ApiClient withAuthorization(String authorizationHeader) {
        return new ApiClient(http, baseUrl(), contract, Map.of("Authorization", authorizationHeader));
    }

    /** A caller without an {@code Authorization} header. */
    public ApiClient anonymous() {
        return new ApiClient(http, baseUrl(), contract, Map.of());
    }

    public LocalStack stack() {
        return stack;
    }
}
