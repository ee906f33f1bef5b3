package dev.pipedesk.local;

/** The local stack cannot start; the message says why and what to do. */
public final class LocalStackException extends RuntimeException {
    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
