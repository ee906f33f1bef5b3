package dev.pipedesk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sender that stops before sending until the test lets it go, so the relay using it holds its
 * rows meanwhile; then it sends through {@code target}.
 */
final class PausingSender implements OutboxSender {
    private final OutboxSender target;
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    PausingSender(OutboxSender target) {
        this.target = target;
    }

    @Override
    public Set<String> send(List<OutboxMessage> messages) {
        holding.countDown();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return target.send(messages);
    }

    /** Waits (bounded) until a relay is in {@link #send}, holding its rows. */
    void awaitHolding() throws InterruptedException {
        assertThat(holding.await(30, TimeUnit.SECONDS)).as("a relay reached the sender").isTrue();
    }

    /** Lets the held send (and every later one) go through. */
    void release() {
        released.countDown();
    }
}
