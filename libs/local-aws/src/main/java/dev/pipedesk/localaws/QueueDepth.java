package dev.pipedesk.localaws;

/**
 * A queue's approximate message counts, as SQS reports them.
 *
 * @param visible  waiting to be received ({@code ApproximateNumberOfMessages})
 * @param inFlight received and not yet deleted nor visible again ({@code ApproximateNumberOfMessagesNotVisible})
 * @param delayed  sent with a delay that has not passed ({@code ApproximateNumberOfMessagesDelayed})
 */
public record QueueDepth(long visible, long inFlight, long delayed) {

    /** Every message the queue holds. */
    public long total() {
        return visible + inFlight + delayed;
    }
}
