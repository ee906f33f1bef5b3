package dev.pipedesk.auth;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrincipalTest {

    @Test
    void authorizerContextCarriesUserIdEmailAndWireRole() {
        Principal principal = new Principal("user-1", "ana@example.com", Role.MANAGER);

        assertThat(principal.toAuthorizerContext())
                .containsExactly(Map.entry("userId", "user-1"), Map.entry("email", "ana@example.com"),
                        Map.entry("role", "manager"));
    }

    @Test
    void authorizerContextLeavesOutAMissingEmail() {
        assertThat(new Principal("user-1", null, Role.VIEWER).toAuthorizerContext())
                .containsOnlyKeys("userId", "role");
    }

    @Test
    void roundTripsThroughTheAuthorizerContext() {
        Principal principal = new Principal("user-1", "ana@example.com", Role.CLIENT);
        assertThat(Principal.fromAuthorizerContext(principal.toAuthorizerContext())).contains(principal);

        Principal withoutEmail = new Principal("user-2", null, Role.ADMIN);
        assertThat(Principal.fromAuthorizerContext(withoutEmail.toAuthorizerContext())).contains(withoutEmail);
    }

    @Test
    void readsContextValuesThatAreNotStrings() {
        Map<String, Object> context = Map.of("userId", 42, "role", "Sales");
        assertThat(Principal.fromAuthorizerContext(context)).contains(new Principal("42", null, Role.SALES));
    }

    @Test
    void refusesContextsWithoutUserOrKnownRole() {
        assertThat(Principal.fromAuthorizerContext(null)).isEmpty();
        assertThat(Principal.fromAuthorizerContext(Map.of())).isEmpty();
        assertThat(Principal.fromAuthorizerContext(Map.of("role", "admin"))).isEmpty();
        assertThat(Principal.fromAuthorizerContext(Map.of("userId", " ", "role", "admin"))).isEmpty();
        assertThat(Principal.fromAuthorizerContext(Map.of("userId", "u"))).isEmpty();
        assertThat(Principal.fromAuthorizerContext(Map.of("userId", "u", "role", "authenticated"))).isEmpty();
        Map<String, Object> nullRole = new HashMap<>();
        nullRole.put("userId", "u");
        nullRole.put("role", null);
        assertThat(Principal.fromAuthorizerContext(nullRole)).isEmpty();
    }

    @Test
    void refusesBlankUserIdOrMissingRole() {
        assertThatThrownBy(() -> new Principal(" ", null, Role.ADMIN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Principal("u", null, null)).isInstanceOf(NullPointerException.class);
    }
}
