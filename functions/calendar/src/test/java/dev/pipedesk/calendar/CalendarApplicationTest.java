package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalendarApplicationTest {
    private static final String URL = "jdbc:postgresql://localhost:5432/pipedesk";

    @Test
    void theDefaultPoolOfTwoConnectionsIsEnough() {
        assertThat(CalendarApplication.databaseSettings(new Env(Map.of("DATABASE_URL", URL))).maxPoolSize()).isEqualTo(2);
    }

    @Test
    void aPoolOfOneConnectionIsRefusedWithTheReason() {
        Env env = new Env(Map.of("DATABASE_URL", URL, "DATABASE_POOL_SIZE", "1"));

        assertThatThrownBy(() -> CalendarApplication.databaseSettings(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DATABASE_POOL_SIZE must be at least 2")
                .hasMessageContaining("background audit publish");
    }
}
