package dev.pipedesk.emulator.calendar;

import java.time.Instant;

/**
 * One attempt to deliver one push notification.
 *
 * @param channelId     the channel's id ({@code X-Goog-Channel-ID})
 * @param messageNumber {@code X-Goog-Message-Number}
 * @param resourceState {@code sync} or {@code exists}
 * @param attempt       1 for the first try, 2.. for retries
 * @param statusCode    the receiver's HTTP status; 0 when there was none (dropped, connection error)
 * @param outcome       what became of the attempt
 * @param error         the connection error, if any
 * @param at            when the attempt finished
 */
public record DeliveryAttempt(
        String channelId,
        long messageNumber,
        String resourceState,
        int attempt,
        int statusCode,
        Outcome outcome,
        String error,
        Instant at) {

    public enum Outcome {
        /** The receiver answered 200, 201, 202, 204 or 102. */
        DELIVERED,
        /** 500/502/503/504 or a connection error; another attempt is scheduled. */
        RETRYING,
        /** Retryable failure, but the attempts are used up. */
        GAVE_UP,
        /** Any other status: Google counts it as a message failure and does not retry. */
        REJECTED,
        /** Dropped on purpose by {@link EmulatorControl#dropNextPush(int)}: never sent. */
        DROPPED
    }
}
