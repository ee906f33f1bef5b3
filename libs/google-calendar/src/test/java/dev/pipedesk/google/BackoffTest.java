package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.localaws.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

    private static final RetryPolicy POLICY = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofMinutes(1));

    private Backoff backoff(int maxRetries, Duration pausesEndWithin) {
        return new Backoff(POLICY, maxRetries, clock, clock.instant().plus(pausesEndWithin));
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
        List<Duration> pauses = pausesOf(backoff(6, Duration.ofMinutes(1)));

        assertThat(pauses).hasSize(6);
        assertThat(pauses.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(pauses.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(500));
        assertThat(pauses.subList(4, 6)).containsOnly(Duration.ofSeconds(1));
    }

    @Test
    void handsOutNoPauseThatWouldEndPastTheTimeBudget() {
        List<Duration> pauses = pausesOf(backoff(6, Duration.ofMillis(700)));

        assertThat(pauses).hasSizeLessThan(6);
        assertThat(pauses.stream().mapToLong(Duration::toMillis).sum()).isLessThanOrEqualTo(700);
    }

    @Test
    void aPauseIsAtLeastTheWaitGoogleAskedForWhenThatStillEndsInTime() {
        Backoff backoff = backoff(6, Duration.ofSeconds(10));

        assertThat(backoff.nextPause(Duration.ofSeconds(3))).contains(Duration.ofSeconds(3));
        assertThat(backoff.nextPause(Duration.ofSeconds(11))).isEmpty();
    }

    @Test
    void aRunWithoutRetriesHandsOutNothing() {
        assertThat(backoff(0, Duration.ofMinutes(1)).nextPause()).isEmpty();
    }
}
