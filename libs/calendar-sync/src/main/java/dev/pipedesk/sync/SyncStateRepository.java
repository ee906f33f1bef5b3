package dev.pipedesk.sync;

import static dev.pipedesk.postgres.Jdbc.instant;

import dev.pipedesk.core.Json;
import dev.pipedesk.postgres.Jdbc;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;
import tools.jackson.core.type.TypeReference;

/** The {@code calendar_sync_state} table: one row per synced calendar. */
public final class SyncStateRepository {
    /** The skipped events kept per calendar (the most recent ones). */
    static final int MAX_SKIPPED_KEPT = 50;
    private static final TypeReference<List<SkippedEvent>> SKIPPED = new TypeReference<>() { };
    private static final String COLUMNS = "calendar_id, state, failure_reason, sync_token, sync_token_at, "
            + "last_full_sync_at, last_sync_at, last_notification_at, full_syncs_in_a_row, skipped_events";

    private final DataSource dataSource;

    public SyncStateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the calendar's row (state syncing, no token) unless it exists; returns the row. */
    public SyncState ensure(String calendarId) {
        return Transactions.withAutoCommit(dataSource, connection -> {
            Jdbc.update(connection, "insert into calendar_sync_state (calendar_id) values (?) on conflict do nothing",
                    List.of(calendarId));
            return find(connection, calendarId).orElseThrow();
        });
    }

    public Optional<SyncState> find(String calendarId) {
        return Transactions.withAutoCommit(dataSource, connection -> find(connection, calendarId));
    }

    /** The advisory-lock class of channel management ("PF"); sync locks use "PE", meeting locks "PD". */
    static final int CHANNEL_LOCK_CLASS = 0x5046;

    /**
     * The calendar's channel lock for the rest of the caller's transaction (one channel manager per
     * calendar at a time), then the row as it is. An advisory lock, not a row lock: it may be held
     * across Google's watch and stop calls without holding up the webhook's and the sync's updates
     * of the row.
     */
    public Optional<SyncState> lockChannels(Connection connection, String calendarId) throws SQLException {
        Jdbc.first(connection, "select pg_advisory_xact_lock(?, hashtext(?))", List.of(CHANNEL_LOCK_CLASS, calendarId),
                row -> 0);
        return find(connection, calendarId);
    }

    /** The row, locked for the rest of the caller's transaction (one writer per calendar at a time). */
    public Optional<SyncState> lock(Connection connection, String calendarId) throws SQLException {
        return Jdbc.first(connection, "select " + COLUMNS + " from calendar_sync_state where calendar_id = ? for update",
                List.of(calendarId), SyncStateRepository::map);
    }

    static Optional<SyncState> find(Connection connection, String calendarId) throws SQLException {
        return Jdbc.first(connection, "select " + COLUMNS + " from calendar_sync_state where calendar_id = ?",
                List.of(calendarId), SyncStateRepository::map);
    }

    /** Every calendar that has a row, by id. */
    public List<SyncState> all() {
        return Transactions.withAutoCommit(dataSource, connection -> Jdbc.list(connection,
                "select " + COLUMNS + " from calendar_sync_state order by calendar_id", List.of(),
                SyncStateRepository::map));
    }

    /**
     * Completes a walk on the caller's connection (in the transaction of its last page): stores the
     * new sync token and the sync time; a full walk also records itself as the last full sync, an
     * incremental one ends a series of forced full syncs. A calendar the sync had marked failed is
     * syncing again (one whose watch failed stays failed until a watch succeeds).
     */
    public void completeWalk(Connection connection, String calendarId, String syncToken, boolean full, Instant now)
            throws SQLException {
        Jdbc.update(connection, "update calendar_sync_state set sync_token = ?, sync_token_at = ?, last_sync_at = ?, "
                        + "last_full_sync_at = case when ? then ? else last_full_sync_at end, "
                        + "full_syncs_in_a_row = case when ? then full_syncs_in_a_row else 0 end, "
                        + "state = case when " + SYNC_FAILURE + " then 'syncing' else state end, "
                        + "failure_reason = case when " + SYNC_FAILURE + " then null else failure_reason end, "
                        + "updated_at = ? where calendar_id = ?",
                Arrays.asList(syncToken, now, now, full, now, full, now, calendarId));
    }

    /**
     * A failure a completed walk disproves: the sync's own (404/403 on the listing, repeated 410s).
     * A failure of the calendar's watch ({@code events.watch: …}) stays until a watch succeeds.
     */
    private static final String SYNC_FAILURE = "state = 'failed' and coalesce(failure_reason, '') not like '"
            + ChannelManager.WATCH_FAILURE.replace("'", "''") + "%'";

    /** A 410 ended the token: forget it and count the forced full sync; returns the count so far. */
    public int dropTokenForFullSync(String calendarId, Instant now) {
        return Transactions.withAutoCommit(dataSource, connection -> Jdbc.first(connection,
                "update calendar_sync_state set sync_token = null, sync_token_at = null, "
                        + "full_syncs_in_a_row = full_syncs_in_a_row + 1, updated_at = ? where calendar_id = ? "
                        + "returning full_syncs_in_a_row",
                List.of(now, calendarId), row -> row.getInt(1)).orElse(0));
    }

    public void markFailed(String calendarId, String reason, Instant now) {
        setState(calendarId, SyncStatus.FAILED, reason, now);
    }

    public void markPollOnly(String calendarId, String reason, Instant now) {
        setState(calendarId, SyncStatus.POLL_ONLY, reason, now);
    }

    public void markSyncing(String calendarId, Instant now) {
        setState(calendarId, SyncStatus.SYNCING, null, now);
    }

    private void setState(String calendarId, SyncStatus status, String reason, Instant now) {
        Transactions.withAutoCommit(dataSource, connection -> {
            setState(connection, calendarId, status, reason, now);
            return null;
        });
    }

    /**
     * Sets the calendar's state and failure reason (null for none) on the caller's connection: in
     * the transaction that holds the row's {@linkplain #lock lock}.
     */
    public void setState(Connection connection, String calendarId, SyncStatus status, String reason, Instant now)
            throws SQLException {
        Jdbc.update(connection,
                "update calendar_sync_state set state = ?, failure_reason = ?, updated_at = ? where calendar_id = ?",
                Arrays.asList(status.wire(), reason, now, calendarId));
    }

    /** An accepted push notification arrived for the calendar. */
    public void recordNotification(String calendarId, Instant now) {
        Transactions.withAutoCommit(dataSource, connection -> Jdbc.update(connection,
                "update calendar_sync_state set last_notification_at = greatest(last_notification_at, ?) "
                        + "where calendar_id = ?", List.of(now, calendarId)));
    }

    /**
     * Updates the calendar's skipped events on the caller's connection: those {@code resolved} says
     * are settled (a later version was mirrored, Google cancelled them, a full listing no longer has
     * them) leave the list, {@code skipped} ones join it (the newest {@value #MAX_SKIPPED_KEPT} are kept).
     */
    public void recordSkipped(Connection connection, String calendarId, List<SkippedEvent> skipped,
                              Predicate<String> resolved) throws SQLException {
        List<SkippedEvent> before = find(connection, calendarId).map(SyncState::skippedEvents).orElse(List.of());
        List<SkippedEvent> kept = new ArrayList<>(before);
        kept.removeIf(old -> resolved.test(old.googleEventId())
                || skipped.stream().anyMatch(s -> s.googleEventId().equals(old.googleEventId())));
        if (skipped.isEmpty() && kept.size() == before.size()) {
            return;
        }
        kept.addAll(skipped);
        if (kept.size() > MAX_SKIPPED_KEPT) {
            kept = kept.subList(kept.size() - MAX_SKIPPED_KEPT, kept.size());
        }
        Jdbc.update(connection, "update calendar_sync_state set skipped_events = ?::jsonb where calendar_id = ?",
                List.of(Json.write(kept), calendarId));
    }

    private static SyncState map(ResultSet row) throws SQLException {
        return new SyncState(row.getString("calendar_id"),
                SyncStatus.parse(row.getString("state")).orElse(SyncStatus.SYNCING),
                row.getString("failure_reason"), row.getString("sync_token"), instant(row, "sync_token_at"),
                instant(row, "last_full_sync_at"), instant(row, "last_sync_at"), instant(row, "last_notification_at"),
                row.getInt("full_syncs_in_a_row"), Json.MAPPER.readValue(row.getString("skipped_events"), SKIPPED));
    }
}
