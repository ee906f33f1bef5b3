package dev.pipedesk.sync;

/** The sync queue could not take a request (a transient failure of ours). */
public final class SyncQueueUnavailableException extends RuntimeException {
    public SyncQueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
