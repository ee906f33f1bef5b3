package dev.pipedesk.postgres;

/** The database failed; never the client's fault, and never shown to a client verbatim. */
public final class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
