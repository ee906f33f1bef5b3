package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizerShellTest {
    private static final AuthorizerResponse ALLOWED = AuthorizerResponse.allow(Map.of("userId", "u-1"));
    private static final AuthorizerResponse REFUSED = AuthorizerResponse.deny(Map.of("status", 401));

    private final List<AuthorizationRequest> asked = new ArrayList<>();
    private final AuthorizerShell shell = new AuthorizerShell(new RequestAuthorizer() {
        @Override
        public AuthorizerResponse authorize(AuthorizationRequest request) {
            asked.add(request);
            return ALLOWED;
        }

        @Override
        public AuthorizerResponse refuseUnreadable() {
            return REFUSED;
        }
    });

    private static ByteArrayInputStream event(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void handsTheRouteTheHeaderAndTheRequestIdToTheAuthorizer() {
        AuthorizerResponse response = shell.apply(event("""
                {"version":"2.0","type":"REQUEST","routeKey":"GET /api/audit-logs",
                 "headers":{"authorization":"Bearer abc","accept":"application/json"},
                 "requestContext":{"requestId":"r-1","routeKey":"GET /api/audit-logs"}}"""));

        assertThat(response).isEqualTo(ALLOWED);
        assertThat(asked).containsExactly(new AuthorizationRequest("GET /api/audit-logs", "Bearer abc", "r-1"));
    }

    @Test
    void readsTheHeaderInAnyCaseAndTheRouteFromTheRequestContextWhenTheEventHasNone() {
        shell.apply(event("""
                {"version":"2.0","headers":{"Authorization":"Bearer abc"},"requestContext":{"routeKey":"POST /api/calendar/events"}}"""));

        assertThat(asked).containsExactly(new AuthorizationRequest("POST /api/calendar/events", "Bearer abc", null));
    }

    @Test
    void aRequestWithoutTheHeaderIsStillTheAuthorizersToDecide() {
        shell.apply(event("{\"version\":\"2.0\",\"routeKey\":\"GET /api/audit-logs\"}"));

        assertThat(asked).containsExactly(new AuthorizationRequest("GET /api/audit-logs", null, null));
    }

    @Test
    void anUnreadableEventGetsTheAuthorizersRefusal() {
        assertThat(shell.apply(event("{\"version\":\"2.0\",\"headers\":{\"authorization\":\"Bearer abc\""))).isEqualTo(REFUSED);
        assertThat(asked).isEmpty();
    }
}
