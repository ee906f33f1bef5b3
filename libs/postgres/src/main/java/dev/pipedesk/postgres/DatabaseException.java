package dev.pipedesk.postgres;

import java.sql.SQLException;

/** The database failed; never the client's fault, and never shown to a client verbatim. */
public final class DatabaseException extends RuntimeException {
    private static final String UNIQUE_VIOLATION = "23505";

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the database refused a row because another one, perhaps written by a concurrent
     * transaction that has committed meanwhile, holds the same unique key.
     */
    public boolean isUniqueViolation() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The SQLState of the first SQL error among the causes, or null when none has one. */
    public String sqlState() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
