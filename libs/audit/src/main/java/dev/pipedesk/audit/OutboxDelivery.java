package dev.pipedesk.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sends outbox rows the caller picked (the relay: locked in its open transaction; a publish: read
 * with autocommit, skipping rows a relay holds), deletes the ones the queue accepted and backs off
 * the others: {@code attempts + 1}, {@code next_attempt_at} =
 * now + {@link #FIRST_RETRY} × 2^(attempts), capped at {@link #MAX_RETRY}, and {@code last_error}.
 * Shared by {@link AuditOutbox#publish} and {@link OutboxRelay}.
 */
final class OutboxDelivery {
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final int MAX_ERROR_LENGTH = 500;

    /** Columns every caller selects, in this order, to build {@link Row}s. */
    static final String ROW_COLUMNS = "id, event_id::text, payload::text";

    private static final String DELETE_SENT = "delete from audit_outbox where id = any(?)";
    // Exponent capped so the interval arithmetic can never overflow, whatever attempts says.
    private static final String BACK_OFF = """
            update audit_outbox
               set attempts = attempts + 1,
                   next_attempt_at = ? + least(? * interval '1 millisecond',
                                               ? * interval '1 millisecond' * power(2, least(attempts, 30))),
                   last_error = ?
             where id = any(?)""";

    private final OutboxSender sender;

    OutboxDelivery(OutboxSender sender) {
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /** A locked outbox row. */
    record Row(long id, String eventId, String payload) {
        static Row read(ResultSet rs) throws SQLException {
            return new Row(rs.getLong(1), rs.getString(2), rs.getString(3));
        }
    }

    /**
     * What happened to the rows handed in.
     *
     * @param error why the failed rows were not sent (null when none failed)
     */
    record Outcome(int sent, int failed, String error) {
    }

    /** The clock's now at PostgreSQL's precision (microseconds), so comparisons are exact. */
    static Instant databaseTime(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static List<Row> readRows(PreparedStatement query) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(Row.read(rs));
            }
        }
        return rows;
    }

    Outcome deliver(Connection connection, List<Row> rows, Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return new Outcome(0, 0, null);
        }
        Set<String> accepted;
        String error;
        try {
            accepted = sender.send(rows.stream().map(row -> new OutboxMessage(row.eventId(), row.payload())).toList());
            error = "not accepted by the queue (see the sender's log)";
        } catch (RuntimeException e) {
            accepted = Set.of();
            error = describe(e);
        }
        List<Long> sent = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        for (Row row : rows) {
            (accepted.contains(row.eventId()) ? sent : failed).add(row.id());
        }
        if (!sent.isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement(DELETE_SENT)) {
                delete.setArray(1, ids(connection, sent));
                delete.executeUpdate();
            }
        }
        if (!failed.isEmpty()) {
            try (PreparedStatement backOff = connection.prepareStatement(BACK_OFF)) {
                backOff.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                backOff.setLong(2, MAX_RETRY.toMillis());
                backOff.setLong(3, FIRST_RETRY.toMillis());
                backOff.setString(4, truncate(error));
                backOff.setArray(5, ids(connection, failed));
                backOff.executeUpdate();
            }
        }
        return new Outcome(sent.size(), failed.size(), failed.isEmpty() ? null : error);
    }

    private static Array ids(Connection connection, List<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray(Long[]::new));
    }

    /** The exception and its causes, type and message each: enough to act on, no stack. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < MAX_ERROR_LENGTH; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
