package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RequestDeadlineTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void outsideARequestNothingIsBoundAndEveryLimitStands() {
        assertThat(RequestDeadline.current()).isEmpty();
        assertThat(RequestDeadline.earlierOf(NOW.plusSeconds(60))).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void insideARequestItsDeadlineCutsLaterLimitsAndEndsWithTheRequest() {
        Instant deadline = NOW.plusSeconds(20);

        Instant[] seen = RequestDeadline.callWithin(deadline, () -> new Instant[] {
                RequestDeadline.earlierOf(NOW.plusSeconds(60)), RequestDeadline.earlierOf(NOW.plusSeconds(5))});

        assertThat(seen).containsExactly(deadline, NOW.plusSeconds(5));
        assertThat(RequestDeadline.current()).isEmpty();
    }

    @Test
    void aNestedDeadlineNeverExtendsTheOuterOne() {
        Instant inner = RequestDeadline.callWithin(NOW.plusSeconds(10),
                () -> RequestDeadline.callWithin(NOW.plusSeconds(30), () -> RequestDeadline.current().orElseThrow()));

        assertThat(inner).isEqualTo(NOW.plusSeconds(10));
    }

    @Test
    void theTimeLeftIsNeverNegative() {
        assertThat(RequestDeadline.timeLeft(NOW.plusMillis(1500), clock)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RequestDeadline.timeLeft(NOW.minusSeconds(1), clock)).isEqualTo(Duration.ZERO);
    }
}
