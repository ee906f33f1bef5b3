package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.google.GoogleCalendarGateway.AttemptTimeouts;
import dev.pipedesk.localaws.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptTimeoutsTest {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration READ = Duration.ofSeconds(15);
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

    private AttemptTimeouts until(Duration left) {
        return AttemptTimeouts.until(clock.instant().plus(left), CONNECT, READ, clock);
    }

    @Test
    void withoutADeadlineTheConfiguredTimeoutsHold() {
        assertThat(AttemptTimeouts.until(null, CONNECT, READ, clock)).isEqualTo(new AttemptTimeouts(5000, 15000));
    }

    @Test
    void connectAndReadTogetherEndByTheDeadline() {
        assertThat(until(Duration.ofSeconds(12))).isEqualTo(new AttemptTimeouts(5000, 7000));
        assertThat(until(Duration.ofSeconds(4))).isEqualTo(new AttemptTimeouts(2000, 2000));
        assertThat(until(Duration.ofSeconds(60))).isEqualTo(new AttemptTimeouts(5000, 15000));
    }

    @Test
    void anAttemptWithNoTimeLeftGetsTheShortestTimeoutsNotNone() {
        // 0 means "wait forever" to the HTTP client.
        assertThat(until(Duration.ZERO)).isEqualTo(new AttemptTimeouts(1, 1));
    }
}
