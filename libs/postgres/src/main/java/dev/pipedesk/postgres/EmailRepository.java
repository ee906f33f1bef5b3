package dev.pipedesk.postgres;

import static dev.pipedesk.postgres.Jdbc.instant;

import dev.pipedesk.core.Ids;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code crm_emails} table: e-mails logged against a lead, deal or contact. A message
 * ({@code message_id}) is one row, whoever logs it and however often; a mis-logged e-mail is
 * unlinked (soft), never deleted. The writes run on the caller's connection, inside the
 * transaction that also appends their audit event; the reads on a connection of their own.
 */
public final class EmailRepository {
    private static final String COLUMNS = "id, message_id, thread_id, direction, from_address, to_addresses, "
            + "cc_addresses, subject, snippet, sent_at, entity_type, entity_id, logged_by, logged_at, unlinked_at, "
            + "unlinked_by";

    private final DataSource dataSource;

    public EmailRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What {@link #log} did with an e-mail. */
    public sealed interface Logged {
        /** The row as it is now. */
        CrmEmail row();

        /** A message not logged before: this row was inserted. */
        record Inserted(CrmEmail row) implements Logged {
        }

        /** The message is already logged against the same entity: the stored row, unchanged. */
        record AlreadyLogged(CrmEmail row) implements Logged {
        }

        /**
         * The message had been unlinked: it is linked again, to the entity (and by the user) of
         * this log, with its stored content.
         *
         * @param before the unlinked row
         */
        record Relinked(CrmEmail before, CrmEmail row) implements Logged {
        }

        /** The message is logged (and linked) against another entity: the stored row, unchanged. */
        record LoggedElsewhere(CrmEmail row) implements Logged {
        }
    }

    /**
     * Logs the e-mail on the caller's connection (its transaction): inserts it, unless its
     * {@code message_id} is stored already; then the stored row is locked until the transaction
     * ends and decides the outcome ({@link Logged}). Two transactions logging one message at once
     * meet in the unique index: the second waits for the first and then finds its row.
     */
    public Logged log(Connection connection, CrmEmail email) throws SQLException {
        Optional<CrmEmail> inserted = insertIfNew(connection, email);
        if (inserted.isPresent()) {
            return new Logged.Inserted(inserted.get());
        }
        CrmEmail stored = findByMessageIdForUpdate(connection, email.messageId()).orElseThrow(
                () -> new IllegalStateException("crm_emails: message_id conflicted but no row holds it"));
        if (stored.isUnlinked()) {
            CrmEmail relinked = Jdbc.first(connection, "update crm_emails set entity_type = ?, entity_id = ?, "
                                    + "logged_by = ?, logged_at = ?, unlinked_at = null, unlinked_by = null "
                                    + "where id = ? returning " + COLUMNS,
                            List.of(email.entityType().wire(), email.entityId(), email.loggedBy(), email.loggedAt(),
                                    UUID.fromString(stored.id())), EmailRepository::map)
                    .orElseThrow();
            return new Logged.Relinked(stored, relinked);
        }
        boolean sameEntity = stored.entityType() == email.entityType() && stored.entityId().equals(email.entityId());
        return sameEntity ? new Logged.AlreadyLogged(stored) : new Logged.LoggedElsewhere(stored);
    }

    private Optional<CrmEmail> insertIfNew(Connection connection, CrmEmail e) throws SQLException {
        Array to = connection.createArrayOf("text", e.to().toArray());
        Array cc = connection.createArrayOf("text", e.cc().toArray());
        try {
            return Jdbc.first(connection, "insert into crm_emails (" + COLUMNS + ") values "
                            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            + "on conflict (message_id) do nothing returning " + COLUMNS,
                    Arrays.asList(UUID.fromString(e.id()), e.messageId(), e.threadId(), e.direction().wire(), e.from(),
                            to, cc, e.subject() == null ? "" : e.subject(), e.snippet(), e.sentAt(),
                            e.entityType().wire(), e.entityId(), e.loggedBy(), e.loggedAt(), e.unlinkedAt(),
                            e.unlinkedBy()),
                    EmailRepository::map);
        } finally {
            to.free();
            cc.free();
        }
    }

    private static Optional<CrmEmail> findByMessageIdForUpdate(Connection connection, String messageId)
            throws SQLException {
        return Jdbc.first(connection, "select " + COLUMNS + " from crm_emails where message_id = ? for update",
                List.of(messageId), EmailRepository::map);
    }

    /** The e-mail with this id (linked or not), or empty (also for an id that is no UUID). */
    public Optional<CrmEmail> findById(String id) {
        if (!Ids.isUuid(id)) {
            return Optional.empty();
        }
        return Transactions.withAutoCommit(dataSource, connection -> Jdbc.first(connection,
                "select " + COLUMNS + " from crm_emails where id = ?", List.of(UUID.fromString(id)),
                EmailRepository::map));
    }

    /** The e-mail with this id, locked until the caller's transaction ends, or empty. */
    public Optional<CrmEmail> findByIdForUpdate(Connection connection, String id) throws SQLException {
        if (!Ids.isUuid(id)) {
            return Optional.empty();
        }
        return Jdbc.first(connection, "select " + COLUMNS + " from crm_emails where id = ? for update",
                List.of(UUID.fromString(id)), EmailRepository::map);
    }

    /**
     * Unlinks the e-mail on the caller's connection (soft: {@code unlinked_at}/{@code unlinked_by}
     * set, the row kept). Returns the unlinked row, or empty when there is no such e-mail or it
     * is unlinked already (then nothing is written).
     */
    public Optional<CrmEmail> unlink(Connection connection, String id, String unlinkedBy, Instant at)
            throws SQLException {
        if (!Ids.isUuid(id)) {
            return Optional.empty();
        }
        return Jdbc.first(connection, "update crm_emails set unlinked_at = ?, unlinked_by = ? "
                        + "where id = ? and unlinked_at is null returning " + COLUMNS,
                List.of(at, unlinkedBy, UUID.fromString(id)), EmailRepository::map);
    }

    /**
     * A page of the entity's linked e-mails, newest first, and how many it has: one read-only
     * snapshot, both answered from the index {@code crm_emails_timeline}.
     */
    public EmailPage list(EmailQuery query) {
        Where linked = Where.none()
                .and("entity_type = ?", query.entityType().wire())
                .and("entity_id = ?", query.entityId())
                .and("unlinked_at is null");
        Where page = query.after() == null ? linked
                : linked.and("(sent_at, id) < (?, ?)", query.after().sentAt(), UUID.fromString(query.after().id()));
        return Transactions.readOnlySnapshot(dataSource, connection -> {
            long total = Jdbc.count(connection, "select count(*) from crm_emails" + linked.sql(), linked.parameters());
            // Up to limit + 1 rows: the extra one only tells whether another page follows.
            List<CrmEmail> rows = Jdbc.list(connection, "select " + COLUMNS + " from crm_emails" + page.sql()
                            + " order by sent_at desc, id desc limit ?",
                    page.parametersThen(query.limit() + 1), EmailRepository::map);
            boolean hasMore = rows.size() > query.limit();
            return new EmailPage(hasMore ? rows.subList(0, query.limit()) : rows, total, hasMore);
        });
    }

    private static CrmEmail map(ResultSet row) throws SQLException {
        return new CrmEmail(
                row.getObject("id").toString(),
                row.getString("message_id"),
                row.getString("thread_id"),
                EmailDirection.parse(row.getString("direction")).orElseThrow(),
                row.getString("from_address"),
                texts(row, "to_addresses"),
                texts(row, "cc_addresses"),
                row.getString("subject"),
                row.getString("snippet"),
                instant(row, "sent_at"),
                EntityType.parse(row.getString("entity_type")).orElseThrow(),
                row.getString("entity_id"),
                row.getString("logged_by"),
                instant(row, "logged_at"),
                instant(row, "unlinked_at"),
                row.getString("unlinked_by"));
    }

    private static List<String> texts(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
