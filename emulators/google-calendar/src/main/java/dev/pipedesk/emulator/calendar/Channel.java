package dev.pipedesk.emulator.calendar;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** One push channel created by events.watch, with its message numbering and delivery queue. */
final class Channel {
    final Watch watch;

    private long lastMessageNumber;
    private boolean stopped;
    private int remainingAfterStop;
    private CompletableFuture<Void> deliveryTail = CompletableFuture.completedFuture(null);

    Channel(Watch watch) {
        this.watch = watch;
    }

    /**
     * What events.watch set up, fixed for the channel's life.
     *
     * @param id          the channel id the client chose
     * @param resourceId  opaque id, the same for every channel of one calendar
     * @param resourceUri the watched collection's URI
     * @param calendarId  the calendar watched (with {@code primary} resolved to the owner's email)
     * @param address     where notifications go
     * @param token       the client's token, or null
     * @param expiration  when the channel expires
     */
    record Watch(String id, String resourceId, String resourceUri, String calendarId, String address, String token,
                 Instant expiration) {
    }

    /** The sync message is always number 1. */
    synchronized long syncMessageNumber() {
        lastMessageNumber = 1;
        return 1;
    }

    /**
     * The number of the next {@code exists} message (larger than the last, with a random gap),
     * or empty when the channel gets no more messages: expired, or stopped with no after-stop
     * allowance left.
     */
    synchronized OptionalLong nextMessageNumber(Instant now, RandomGenerator random) {
        if (!now.isBefore(watch.expiration())) {
            return OptionalLong.empty();
        }
        if (stopped) {
            if (remainingAfterStop <= 0) {
                return OptionalLong.empty();
            }
            remainingAfterStop--;
        }
        lastMessageNumber += 1 + random.nextInt(5);
        return OptionalLong.of(lastMessageNumber);
    }

    synchronized boolean live(Instant now) {
        return !stopped && now.isBefore(watch.expiration());
    }

    /** Stops the channel; it still receives {@code afterStopAllowance} more notifications. */
    synchronized void stop(int afterStopAllowance) {
        stopped = true;
        remainingAfterStop = afterStopAllowance;
    }

    /** Runs {@code firstAttempt} after the previous message's first attempt finished (keeps order). */
    synchronized void enqueue(Supplier<CompletableFuture<Void>> firstAttempt) {
        deliveryTail = deliveryTail.handle((ignored, error) -> null).thenCompose(ignored -> firstAttempt.get());
    }

    synchronized ChannelInfo info() {
        return new ChannelInfo(watch.id(), watch.resourceId(), watch.resourceUri(), watch.calendarId(), watch.address(),
                watch.token(), watch.expiration(), stopped, lastMessageNumber);
    }
}
