package dev.pipedesk.audit;

import dev.pipedesk.postgres.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Re-sends what producers left in {@code audit_outbox} (queue down, process killed after commit),
 * and everything database triggers put there. Run on a schedule.
 *
 * <p>One {@link #runOnce() pass} takes up to {@code batchSize} due rows, oldest first, locked
 * with {@code FOR UPDATE SKIP LOCKED} for the length of the pass: two relays running at once
 * never send the same row concurrently, and a producer's {@link AuditOutbox#publish} skips rows a
 * relay holds. (A publish that picked a row just before a relay locked it may send it too: the
 * audit-writer keeps one row per event id.) Sent rows are deleted; the others are backed off exponentially (1 s, 2 s, 4 s, …,
 * at most 5 min) and keep their last error.
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

    private static final String LOCK_DUE = "select " + OutboxDelivery.ROW_COLUMNS
            + " from audit_outbox where next_attempt_at <= ? order by id limit ? for update skip locked";
    private static final String COUNT_DUE = "select count(*) from audit_outbox where next_attempt_at <= ?";

    private final DataSource dataSource;
    private final OutboxDelivery delivery;
    private final Clock clock;
    private final int batchSize;

    public OutboxRelay(DataSource dataSource, OutboxSender sender, Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.delivery = new OutboxDelivery(sender);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batchSize = batchSize;
    }

    /**
     * One pass: sends up to {@code batchSize} due rows, deletes the sent ones, backs off the rest.
     * Sending failures are not exceptions (they show in {@link RelayResult#failed()}).
     *
     * @throws dev.pipedesk.postgres.DatabaseException when the database fails
     */
    public RelayResult runOnce() {
        Instant now = OutboxDelivery.databaseTime(clock);
        OffsetDateTime dueBy = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        Pass pass = Transactions.inTransaction(dataSource, connection -> {
            OutboxDelivery.Outcome outcome;
            try (PreparedStatement lock = connection.prepareStatement(LOCK_DUE)) {
                lock.setObject(1, dueBy);
                lock.setInt(2, batchSize);
                outcome = delivery.deliver(connection, OutboxDelivery.readRows(lock), now);
            }
            try (PreparedStatement count = connection.prepareStatement(COUNT_DUE)) {
                count.setObject(1, dueBy);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return new Pass(outcome, rs.getInt(1));
                }
            }
        });
        OutboxDelivery.Outcome outcome = pass.outcome();
        if (outcome.failed() > 0) {
            LOG.warning(() -> "Audit outbox relay: " + outcome.sent() + " event(s) sent, " + outcome.failed()
                    + " not sent and backed off: " + outcome.error());
        }
        return new RelayResult(outcome.sent(), outcome.failed(), pass.remaining());
    }

    private record Pass(OutboxDelivery.Outcome outcome, int remaining) {
    }
}
