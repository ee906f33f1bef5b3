package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.core.audit.AuditEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A row as a write transaction left it, with the audit event appended to the outbox in that
 * transaction ({@link AuditOutbox#append}), or null when the transaction wrote nothing to audit.
 * After the commit, {@link #publish} hands the event to the audit queue in the background (the
 * response does not wait; what the publish cannot send, the relay does).
 */
record AuditedWrite<T>(T row, AuditEvent event) {

    /** Appends {@code event} to the outbox on the write's connection. */
    static <T> AuditedWrite<T> appended(Connection connection, T row, AuditEvent event) throws SQLException {
        AuditOutbox.append(connection, event);
        return new AuditedWrite<>(row, event);
    }

    /** The row as it is, nothing written. */
    static <T> AuditedWrite<T> unchanged(T row) {
        return new AuditedWrite<>(row, null);
    }

    /** Whether the transaction wrote an audit event. */
    boolean audited() {
        return event != null;
    }

    /** After the commit: publishes the event, if any, in the background; the row. */
    T publish(AuditOutbox audit) {
        if (event != null) {
            audit.publishInBackground(List.of(event.eventId()));
        }
        return row;
    }
}
