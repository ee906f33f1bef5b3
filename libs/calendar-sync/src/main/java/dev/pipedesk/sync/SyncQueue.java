package dev.pipedesk.sync;

/**
 * Where sync requests go: the FIFO sync queue in AWS (group = calendar), so the sync itself runs
 * in another invocation, one calendar at a time.
 */
public interface SyncQueue {

    /**
     * Sends the request.
     *
     * @throws SyncQueueUnavailableException when it could not be sent (the caller answers 5xx, so
     *                                       Google retries the notification)
     */
    void request(SyncRequest request);
}
