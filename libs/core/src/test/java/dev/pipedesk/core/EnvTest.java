package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void ofKeepsOnlyTheNamedVariablesTheLookupFinds() {
        Map<String, String> source = Map.of("DATABASE_URL", "jdbc:postgresql://db/pipedesk", "JWT_ISSUER", "pipedesk",
                "UNRELATED", "x");

        Env env = Env.of(source::get, List.of("DATABASE_URL", "DATABASE_USER"), List.of("JWT_ISSUER"));

        assertThat(env.values()).isEqualTo(Map.of("DATABASE_URL", "jdbc:postgresql://db/pipedesk", "JWT_ISSUER", "pipedesk"));
    }

    @Test
    void blankValuesCountAsUnset() {
        Env env = new Env(Map.of("DATABASE_USER", "  ", "DATABASE_POOL_SIZE", " 4 "));

        assertThat(env.optional("DATABASE_USER")).isEmpty();
        assertThat(env.get("DATABASE_USER", "postgres")).isEqualTo("postgres");
        assertThat(env.getInt("DATABASE_POOL_SIZE", 2)).isEqualTo(4);
    }
}
