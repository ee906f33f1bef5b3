package dev.pipedesk.sync;

import static dev.pipedesk.postgres.Jdbc.instant;

import dev.pipedesk.postgres.Jdbc;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code calendar_watch_channels} table: every channel PipeDesk opened (Google cannot list them). */
public final class WatchChannelRepository {
    private static final String COLUMNS = "id, calendar_id, resource_id, token_sha256, address, expires_at, state, "
            + "replaced_by, last_message_number, created_at, stopped_at";

    private final DataSource dataSource;

    public WatchChannelRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores a channel Google has just opened, on the caller's connection. */
    public void insert(Connection connection, WatchChannel channel) throws SQLException {
        Jdbc.update(connection, "insert into calendar_watch_channels (id, calendar_id, resource_id, token_sha256, "
                        + "address, expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?)",
                Arrays.asList(channel.id(), channel.calendarId(), channel.resourceId(), channel.tokenSha256(),
                        channel.address(), channel.expiresAt(), channel.createdAt()));
    }

    public Optional<WatchChannel> find(String channelId) {
        return Transactions.withAutoCommit(dataSource, connection -> find(connection, channelId));
    }

    /** The calendar's channels that are neither stopped nor expired at {@code now}, latest expiry first. */
    public List<WatchChannel> live(Connection connection, String calendarId, Instant now) throws SQLException {
        return Jdbc.list(connection, "select " + COLUMNS + " from calendar_watch_channels "
                        + "where calendar_id = ? and state = 'active' and expires_at > ? order by expires_at desc, id",
                List.of(calendarId, now), WatchChannelRepository::map);
    }

    public List<WatchChannel> live(String calendarId, Instant now) {
        return Transactions.withAutoCommit(dataSource, connection -> live(connection, calendarId, now));
    }

    /** Channels not yet stopped whose expiry has passed: Google sends nothing more on them. */
    public List<WatchChannel> expiredUnstopped(Instant now) {
        return Transactions.withAutoCommit(dataSource, connection -> Jdbc.list(connection, "select " + COLUMNS
                        + " from calendar_watch_channels where state = 'active' and expires_at <= ? order by expires_at",
                List.of(now), WatchChannelRepository::map));
    }

    /** The calendar's most recent channels (live first, then by creation, newest first), at most {@code limit}. */
    public List<WatchChannel> recent(String calendarId, int limit) {
        return Transactions.withAutoCommit(dataSource, connection -> Jdbc.list(connection, "select " + COLUMNS
                        + " from calendar_watch_channels where calendar_id = ? "
                        + "order by (state = 'active') desc, created_at desc, id limit ?",
                List.of(calendarId, limit), WatchChannelRepository::map));
    }

    /** Marks the channel stopped (replaced by {@code replacedBy}, or null); false when it was stopped already. */
    public boolean markStopped(String channelId, String replacedBy, Instant now) {
        return Transactions.withAutoCommit(dataSource, connection -> markStopped(connection, channelId, replacedBy, now));
    }

    /** {@link #markStopped(String, String, Instant)} on the caller's connection. */
    public boolean markStopped(Connection connection, String channelId, String replacedBy, Instant now)
            throws SQLException {
        return Jdbc.update(connection,
                "update calendar_watch_channels set state = 'stopped', replaced_by = coalesce(?, replaced_by), "
                        + "stopped_at = ? where id = ? and state = 'active'",
                Arrays.asList(replacedBy, now, channelId)) == 1;
    }

    /** The channel, on the caller's connection. */
    public Optional<WatchChannel> find(Connection connection, String channelId) throws SQLException {
        return Jdbc.first(connection, "select " + COLUMNS + " from calendar_watch_channels where id = ?",
                List.of(channelId), WatchChannelRepository::map);
    }

    /** Keeps the highest message number seen on the channel (notifications may arrive out of order). */
    public void recordMessage(String channelId, long messageNumber) {
        Transactions.withAutoCommit(dataSource, connection -> Jdbc.update(connection,
                "update calendar_watch_channels set last_message_number = greatest(last_message_number, ?) where id = ?",
                List.of(messageNumber, channelId)));
    }

    private static WatchChannel map(ResultSet row) throws SQLException {
        long message = row.getLong("last_message_number");
        Long lastMessage = row.wasNull() ? null : message;
        return new WatchChannel(row.getString("id"), row.getString("calendar_id"), row.getString("resource_id"),
                row.getString("token_sha256"), row.getString("address"), instant(row, "expires_at"),
                "stopped".equals(row.getString("state")), row.getString("replaced_by"),
                lastMessage, instant(row, "created_at"), instant(row, "stopped_at"));
    }
}
