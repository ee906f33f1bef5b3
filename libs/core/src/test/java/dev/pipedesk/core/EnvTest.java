package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void ofKeepsOnlyTheNamedVariablesTheLookupFinds() {
        Map<String, String> source = Map.of("DATABASE_URL", "jdbc:postgresql://db/pipedesk", "UNRELATED", "x");

        Env env = Env.of(List.of("DATABASE_URL", "DATABASE_USER"), source::get);

        assertThat(env.values()).isEqualTo(Map.of("DATABASE_URL", "jdbc:postgresql://db/pipedesk"));
    }
}
