package dev.pipedesk.audit;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * The producer side of the audit trail (transactional outbox):
 * <ol>
 *   <li>{@link #append} writes the event into {@code audit_outbox} on the caller's connection,
 *       inside the transaction that makes the change, so the change and its audit record commit
 *       or roll back together;</li>
 *   <li>after the commit, {@link #publish} sends those rows to the SQS audit queue and deletes
 *       what the queue accepted; {@link #publishInBackground} does the same on the outbox's
 *       background thread, so a request does not wait for the queue;</li>
 *   <li>whatever is left (queue down, process killed between commit and publish) is sent later
 *       by the scheduled {@link OutboxRelay}, with backoff.</li>
 * </ol>
 * The audit-writer keeps each event id once, so an event that happens to be sent twice (a
 * delete lost after a successful send) is still recorded once.
 *
 * <pre>{@code
 * AuditEvent event = ...;
 * Transactions.inTransaction(dataSource, connection -> {
 *     repository.update(connection, row);
 *     AuditOutbox.append(connection, event);
 *     return row;
 * });
 * outbox.publishInBackground(List.of(event.eventId()));   // or publish(...) to wait for it
 * }</pre>
 *
 * <p>The publish holds no transaction while it talks to SQS: it picks the rows with a
 * single-statement {@code FOR UPDATE SKIP LOCKED} read (skipping rows a relay is sending at that
 * moment), sends them, then deletes or backs off each in its own statement. So a Lambda
 * container frozen in the middle of a background publish holds no row lock and no open
 * transaction; when it thaws, the publish finishes (or the relay has sent the rows meanwhile: a
 * duplicate message, which the writer ignores).
 */
public final class AuditOutbox {
    private static final Logger LOG = Logger.getLogger(AuditOutbox.class.getName());

    /** Largest event accepted, in UTF-8 bytes of its JSON: the SQS message size limit (256 KiB). */
    public static final int MAX_EVENT_BYTES = 262_144;

    private static final String INSERT = "insert into audit_outbox (event_id, payload) values (?::uuid, ?::jsonb)";
    /** Run alone (autocommit): skips rows a relay holds, and keeps no lock after the statement. */
    private static final String PICK_BY_EVENT_ID = "select " + OutboxDelivery.ROW_COLUMNS
            + " from audit_outbox where event_id = any(?) order by id for update skip locked";

    private final DataSource dataSource;
    private final OutboxDelivery delivery;
    private final Clock clock;

    public AuditOutbox(DataSource dataSource, OutboxSender sender, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.delivery = new OutboxDelivery(sender);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Inserts the event into {@code audit_outbox} on the caller's connection: same transaction as
     * the change. Does not commit.
     *
     * @throws IllegalArgumentException when the event breaks the contract (schema) or is larger
     *                                  than {@link #MAX_EVENT_BYTES}: a programming error, which
     *                                  should roll the change back rather than commit it without
     *                                  an audit record the writer would accept
     * @throws SQLException             when the insert fails (e.g. the event id is already in the
     *                                  outbox)
     */
    public static void append(Connection connection, AuditEvent event) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(event, "event");
        JsonNode tree = Json.MAPPER.valueToTree(event);
        List<String> violations = Contract.VALIDATOR.validate(tree);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("Audit event " + event.eventId() + " (" + event.entityType() + " "
                    + event.action() + ") breaks the audit event contract: " + String.join("; ", violations));
        }
        String json = Json.write(tree);
        int size = json.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("Audit event " + event.eventId() + " is " + size
                    + " bytes of JSON; the limit is " + MAX_EVENT_BYTES);
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, event.eventId());
            insert.setString(2, json);
            insert.executeUpdate();
        }
    }

    /**
     * After commit: sends the outbox rows of these event ids (SendMessageBatch, at most 10 per
     * request), deletes what SQS accepted, and leaves the rest for the relay (attempts + 1,
     * {@code next_attempt_at} with backoff, {@code last_error}). Rows another process holds at
     * this moment (a relay sending them) are skipped. Never throws: failures are logged, and the
     * events stay safe in the outbox.
     */
    public void publish(Collection<String> eventIds) {
        if (eventIds == null || eventIds.isEmpty()) {
            return;
        }
        UUID[] ids = validIds(eventIds);
        if (ids.length == 0) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            List<OutboxDelivery.Row> rows;
            try (PreparedStatement pick = connection.prepareStatement(PICK_BY_EVENT_ID)) {
                pick.setArray(1, connection.createArrayOf("uuid", ids));
                rows = OutboxDelivery.readRows(pick);
            }
            OutboxDelivery.Outcome outcome = delivery.deliver(connection, rows, OutboxDelivery.databaseTime(clock));
            if (outcome.failed() > 0) {
                LOG.warning(() -> "Audit outbox: " + outcome.failed() + " of " + ids.length
                        + " event(s) not sent now, the relay will retry them: " + outcome.error());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Audit outbox: publishing " + ids.length
                    + " event(s) failed; they stay in the outbox for the relay: " + OutboxDelivery.describe(e));
        }
    }

    /**
     * {@link #publish} on the outbox's background thread: returns at once, so the caller (a
     * request) does not wait for the queue. Publishes run one after the other, in the order they
     * were handed over. Never fails: the future completes normally when the publish has run,
     * whatever it achieved (what it could not send stays in the outbox for the relay).
     *
     * <p>In Lambda the container may be frozen right after the response, with the publish still
     * running; it resumes when the container next runs, and if the container never does, the
     * relay sends the rows. Audit events are never lost this way; only their arrival can be later.
     */
    public CompletableFuture<Void> publishInBackground(Collection<String> eventIds) {
        List<String> ids = eventIds == null ? List.of() : List.copyOf(eventIds);
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.runAsync(() -> publish(ids), Background.PUBLISHER);
        } catch (RejectedExecutionException e) {
            publish(ids);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static UUID[] validIds(Collection<String> eventIds) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (String eventId : eventIds) {
            try {
                ids.add(UUID.fromString(eventId));
            } catch (IllegalArgumentException | NullPointerException e) {
                LOG.warning(() -> "Audit outbox: ignoring an event id that is not a UUID: " + eventId);
            }
        }
        return ids.toArray(UUID[]::new);
    }

    /** One background publisher per process (a daemon thread, started on first use). */
    private static final class Background {
        static final ExecutorService PUBLISHER = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("audit-outbox-publisher").daemon(true).factory());
    }

    /** The contract validator, loaded on first use. */
    private static final class Contract {
        static final AuditEventValidator VALIDATOR = AuditEventValidator.load();
    }
}
