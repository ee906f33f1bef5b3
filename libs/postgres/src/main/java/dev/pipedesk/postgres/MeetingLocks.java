package dev.pipedesk.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One lock per Google event (calendar id + Google event id; a PostgreSQL advisory lock) that
 * orders the calendar function's writes with the sync: the calendar function holds it from its
 * Google write until its mirror write has committed, and the sync takes it before it applies a
 * change of that event. So the sync never sees PipeDesk's own write before its mirror row does
 * (no echo, no misattributed {@code sync_*} entry), and a write never finds its row moved by the
 * sync of its own change.
 */
public final class MeetingLocks {
    /** The advisory-lock class of meeting locks ("PD"), so other advisory locks cannot collide with them. */
    static final int LOCK_CLASS = 0x5044;

    private MeetingLocks() {
    }

    static String key(String calendarId, String googleEventId) {
        return calendarId + "\n" + googleEventId;
    }

    /**
     * Runs {@code work} holding the event's lock on a connection of its own (a session lock,
     * released when the work ends, however it ends). A work that takes connections from a plain
     * pool gets other ones, so that pool needs at least two; the calendar function pins the
     * work's connections to the lock's one instead ({@code PinnedConnections}).
     */
    public static <T> T whileHolding(DataSource dataSource, String calendarId, String googleEventId, Supplier<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            advisory(connection, "select pg_advisory_lock(?, hashtext(?))", calendarId, googleEventId);
            try {
                return work.get();
            } finally {
                try {
                    advisory(connection, "select pg_advisory_unlock(?, hashtext(?))", calendarId, googleEventId);
                } catch (SQLException e) {
                    // Closing the connection for good releases the lock with it.
                    connection.abort(Runnable::run);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not take the meeting lock", e);
        }
    }

    /**
     * Takes the event's lock for the rest of the caller's transaction, waiting at most {@code wait}
     * for a writer that holds it. Returns false when the wait ran out (a writer that died holding
     * it: the session lock goes with its connection); the transaction then goes on without it.
     */
    public static boolean lockInTransaction(Connection connection, String calendarId, String googleEventId,
                                            Duration wait) throws SQLException {
        Savepoint beforeLock = connection.setSavepoint();
        try (Statement statement = connection.createStatement()) {
            statement.execute("set local lock_timeout = " + Math.max(1, wait.toMillis()));
            advisory(connection, "select pg_advisory_xact_lock(?, hashtext(?))", calendarId, googleEventId);
            statement.execute("set local lock_timeout = 0");
            connection.releaseSavepoint(beforeLock);
            return true;
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeLock);
            return false;
        }
    }

    private static void advisory(Connection connection, String sql, String calendarId, String googleEventId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, LOCK_CLASS);
            statement.setString(2, key(calendarId, googleEventId));
            statement.execute();
        }
    }
}
