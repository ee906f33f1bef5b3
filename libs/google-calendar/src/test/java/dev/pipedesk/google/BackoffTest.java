package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final MutableClock clock = new MutableClock();

    private static RetryPolicy policy(Duration maxElapsed) {
        return new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), maxElapsed);
    }

    /** Takes every pause the run hands out, letting the clock run through each. */
    private List<Duration> pausesOf(Backoff backoff) {
        List<Duration> pauses = new ArrayList<>();
        for (Optional<Duration> pause = backoff.nextPause(); pause.isPresent(); pause = backoff.nextPause()) {
            pauses.add(pause.get());
            clock.advance(pause.get());
        }
        return pauses;
    }

    @Test
    void handsOutAtMostTheAllowedRetriesWithGrowingCappedPauses() {
        List<Duration> pauses = pausesOf(new Backoff(policy(Duration.ofMinutes(1)), 6, clock));

        assertThat(pauses).hasSize(6);
        assertThat(pauses.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(pauses.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(500));
        assertThat(pauses.subList(4, 6)).containsOnly(Duration.ofSeconds(1));
    }

    @Test
    void handsOutNoPauseThatWouldEndPastTheTimeBudget() {
        List<Duration> pauses = pausesOf(new Backoff(policy(Duration.ofMillis(700)), 6, clock));

        assertThat(pauses).hasSizeLessThan(6);
        assertThat(pauses.stream().mapToLong(Duration::toMillis).sum()).isLessThanOrEqualTo(700);
    }

    @Test
    void aRunWithoutRetriesHandsOutNothing() {
        assertThat(new Backoff(policy(Duration.ofMinutes(1)), 0, clock).nextPause()).isEmpty();
    }
}
