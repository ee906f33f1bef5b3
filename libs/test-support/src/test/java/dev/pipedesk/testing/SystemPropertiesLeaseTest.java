package dev.pipedesk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What keeps LambdaFunctionHarnesses running side by side from configuring each other's functions. */
class SystemPropertiesLeaseTest {
    private static final String KEPT = "pipedesk.lease-test.kept";
    private static final String ADDED = "pipedesk.lease-test.added";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @AfterEach
    void removeTheTestProperties() {
        System.clearProperty(KEPT);
        System.clearProperty(ADDED);
    }

    @Test
    void setsThePropertiesAndPutsBackWhatWasThereBefore() {
        System.setProperty(KEPT, "before");

        try (SystemPropertiesLease lease = SystemPropertiesLease.acquire(Map.of(KEPT, "during", ADDED, "new"), WAIT)) {
            assertThat(System.getProperty(KEPT)).isEqualTo("during");
            assertThat(System.getProperty(ADDED)).isEqualTo("new");
        }

        assertThat(System.getProperty(KEPT)).isEqualTo("before");
        assertThat(System.getProperty(ADDED)).isNull();
    }

    @Test
    void aSecondLeaseOnTheSameThreadIsRefusedInsteadOfWaitingForItself() {
        try (SystemPropertiesLease first = SystemPropertiesLease.acquire(Map.of(ADDED, "first"), WAIT)) {
            assertThatThrownBy(() -> SystemPropertiesLease.acquire(Map.of(ADDED, "second"), WAIT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("holds the system properties already");
            assertThat(System.getProperty(ADDED)).isEqualTo("first");
        }
    }

    @Test
    void aLeaseOnAnotherThreadWaitsUntilTheFirstIsClosed() {
        SystemPropertiesLease first = SystemPropertiesLease.acquire(Map.of(ADDED, "first"), WAIT);
        CompletableFuture<SystemPropertiesLease> second = CompletableFuture.supplyAsync(
                () -> SystemPropertiesLease.acquire(Map.of(ADDED, "second"), WAIT));

        await("the second lease waits").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !second.isDone() && "first".equals(System.getProperty(ADDED)));
        first.close();

        SystemPropertiesLease secondLease = second.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(System.getProperty(ADDED)).isEqualTo("second");
        secondLease.close();
        assertThat(System.getProperty(ADDED)).isNull();
    }

    @Test
    void closingTwiceLetsOnlyOneOtherLeaseIn() {
        SystemPropertiesLease lease = SystemPropertiesLease.acquire(Map.of(ADDED, "once"), WAIT);
        lease.close();
        lease.close();

        try (SystemPropertiesLease next = SystemPropertiesLease.acquire(Map.of(ADDED, "next"), WAIT)) {
            CompletableFuture<SystemPropertiesLease> third = CompletableFuture.supplyAsync(
                    () -> SystemPropertiesLease.acquire(Map.of(ADDED, "third"), Duration.ofMillis(200)));
            assertThat(third).failsWithin(WAIT).withThrowableThat().withMessageContaining("never closed");
        }
    }
}
