package dev.pipedesk.sync;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.core.calendar.MeetingAudit;
import dev.pipedesk.google.ChangePage;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.google.GoogleEventSnapshot;
import dev.pipedesk.google.PipeDeskMarkers;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.MeetingLocks;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Incremental sync of one calendar into the mirror (docs/sync.md).
 * <ul>
 * <li>{@code events.list} from the stored sync token, page by page; without one (first sync, or
 * after a 410) the full listing. Changes commit as they are applied, in chunks (re-applying them
 * is harmless); the new sync token is stored only with the last page's changes, so a crash or a
 * 410 mid-walk stores nothing and the next run starts again from the last stored token.</li>
 * <li>A 410 starts a full resync (no time window); rows of the calendar that the full listing no
 * longer contains are cancelled. More than {@code SYNC_MAX_FULL_SYNCS_IN_A_ROW} forced full syncs
 * without a clean incremental one mark the calendar failed: bounded, never a hot loop.</li>
 * <li>Each change is applied under the event's {@link MeetingLocks meeting lock}, so the calendar
 * function's own writes (which hold it from their Google write to their mirror write) are never
 * seen half-done: their etag is already in the row, and the change is an echo that writes
 * nothing. Sync never writes to Google.</li>
 * <li>Every applied change writes its audit event ({@code sync_create}, {@code sync_update},
 * {@code sync_cancel}; actor {@code system:google-sync}) in the same transaction (outbox), and
 * the events are published after each commit. An event carrying PipeDesk's markers but no
 * mirror row is an event made in Google like any other (markers prove nothing: anyone who may
 * write the calendar can write them); only its marker row id is kept when free, so that a create
 * whose mirror write failed adopts the row when it is retried.</li>
 * <li>An event that cannot be mirrored is skipped and listed in the calendar's skipped events;
 * it never blocks the token.</li>
 * </ul>
 * One calendar is synced by one caller at a time (the FIFO queue's group); a per-calendar
 * advisory lock makes sure of it: a second caller gets {@link SyncOutcome.Result#RETRY}.
 */
public final class CalendarSync {
    private static final Logger LOG = Logger.getLogger(CalendarSync.class.getName());
    /** The advisory-lock class of calendar sync locks ("PE"); meeting locks use "PD". */
    static final int SYNC_LOCK_CLASS = 0x5045;
    /** Changes applied per transaction: each holds one meeting lock until it commits. */
    static final int CHUNK = 100;
    /** How long a change waits for a calendar-function write of the same event (its answer budget is shorter). */
    static final Duration MEETING_LOCK_WAIT = Duration.ofSeconds(30);
    static final String SOURCE = "google_sync";
    private static final RequestOrigin NO_REQUEST = new RequestOrigin(null, null, null);
    private static final AuditEvent.Actor ACTOR = AuditEvent.Actor.system(MeetingAudit.GOOGLE_SYNC_ACTOR);

    private final DataSource dataSource;
    private final GoogleCalendarFeed google;
    private final AuditOutbox audit;
    private final SyncSettings settings;
    private final Clock clock;
    private final CalendarEventRepository events;
    private final SyncStateRepository states;

    public CalendarSync(DataSource dataSource, GoogleCalendarFeed google, AuditOutbox audit, SyncSettings settings,
                        Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.google = Objects.requireNonNull(google, "google");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = new CalendarEventRepository(dataSource);
        this.states = new SyncStateRepository(dataSource);
    }

    /**
     * Syncs the calendar (its canonical id): incremental from its token, or full when it has none.
     * Never throws: a transient failure is {@link SyncOutcome.Result#RETRY} (nothing stored beyond
     * the changes already committed), a permanent one marks the calendar failed.
     */
    public SyncOutcome sync(String calendarId) {
        try (Connection lockConnection = dataSource.getConnection()) {
            lockConnection.setAutoCommit(true);
            if (!trySyncLock(lockConnection, calendarId)) {
                return Walk.incremental(calendarId).end(SyncOutcome.Result.RETRY, "another sync of this calendar is running");
            }
            try {
                return syncHoldingLock(calendarId);
            } finally {
                releaseSyncLock(lockConnection, calendarId);
            }
        } catch (SQLException | DatabaseException e) {
            LOG.log(Level.WARNING, "Sync of " + calendarId + " failed on the database; it will be retried", e);
            return Walk.incremental(calendarId).end(SyncOutcome.Result.RETRY, "database: " + e.getMessage());
        }
    }

    private SyncOutcome syncHoldingLock(String calendarId) {
        SyncState state = states.ensure(calendarId);
        Walk walk = state.syncToken() == null ? Walk.full(calendarId) : Walk.incremental(calendarId);
        String syncToken = state.syncToken();
        while (true) {
            try {
                return walk(walk, syncToken);
            } catch (GoogleCalendarException.Gone gone) {
                int forced = states.dropTokenForFullSync(calendarId, clock.instant());
                if (forced > settings.maxFullSyncsInARow()) {
                    String reason = "Google invalidated the sync token " + forced
                            + " times in a row (410 " + gone.reason() + "); full resyncs stopped";
                    states.markFailed(calendarId, reason, clock.instant());
                    LOG.severe(() -> "Calendar " + calendarId + " marked failed: " + reason);
                    return walk.end(SyncOutcome.Result.FAILED, reason);
                }
                LOG.info(() -> "Sync token of " + calendarId + " invalidated (410 " + gone.reason()
                        + "); full resync " + forced + " of at most " + settings.maxFullSyncsInARow());
                walk = Walk.full(calendarId).after(walk);
                syncToken = null;
            } catch (GoogleCalendarException.NotFound | GoogleCalendarException.Rejected refused) {
                String reason = "Google refused to list the calendar (" + refused.status() + " " + refused.reason() + ")";
                if (refused instanceof GoogleCalendarException.NotFound || refused.status() == 403) {
                    states.markFailed(calendarId, reason, clock.instant());
                    return walk.end(SyncOutcome.Result.FAILED, reason);
                }
                LOG.warning(() -> "Sync of " + calendarId + ": " + reason + "; it will be retried");
                return walk.end(SyncOutcome.Result.RETRY, reason);
            } catch (GoogleCalendarException transientFailure) {
                LOG.warning(() -> "Sync of " + calendarId + " interrupted (" + transientFailure.status() + " "
                        + transientFailure.reason() + "); it will be retried from the stored token");
                return walk.end(SyncOutcome.Result.RETRY, "Google: " + transientFailure.status() + " "
                        + transientFailure.reason());
            }
        }
    }

    /** One walk: every page until the one with the next sync token. */
    private SyncOutcome walk(Walk walk, String syncToken) {
        Instant startedAt = clock.instant();
        Set<String> seen = walk.full() ? new HashSet<>() : null;
        String pageToken = null;
        while (true) {
            ChangePage page = google.listPage(walk.calendarId(), syncToken, pageToken);
            walk.pages++;
            List<GoogleEventSnapshot> items = page.items();
            if (seen != null) {
                items.stream().filter(e -> e.status() != EventStatus.CANCELLED).forEach(e -> seen.add(e.id()));
            }
            for (int from = 0; from < items.size() || (from == 0 && page.isLast()); from += CHUNK) {
                List<GoogleEventSnapshot> chunk = items.subList(from, Math.min(items.size(), from + CHUNK));
                boolean completes = page.isLast() && from + CHUNK >= items.size();
                applyChunk(walk, chunk, completes ? page.nextSyncToken() : null, seen, startedAt);
                if (completes) {
                    break;
                }
            }
            if (page.isLast()) {
                return walk.end(SyncOutcome.Result.SYNCED, null);
            }
            pageToken = page.nextPageToken();
        }
    }

    /**
     * Applies changes in one transaction; the walk's last chunk also cancels what a full listing
     * no longer contains and stores the new sync token. The audit events are published after commit.
     */
    private void applyChunk(Walk walk, List<GoogleEventSnapshot> chunk, String nextSyncToken, Set<String> seen,
                            Instant walkStartedAt) {
        List<String> published = new ArrayList<>();
        List<SkippedEvent> skipped = new ArrayList<>();
        Tally tally = Transactions.inTransaction(dataSource, connection -> {
            Tally counts = new Tally();
            for (GoogleEventSnapshot event : chunk) {
                apply(connection, walk.calendarId(), event, counts, published, skipped);
            }
            boolean completesFullWalk = nextSyncToken != null && seen != null;
            if (completesFullWalk) {
                for (CalendarEvent gone : events.lockLiveMissingFrom(connection, walk.calendarId(), seen, walkStartedAt)) {
                    CalendarEvent cancelled = MeetingMirror.cancelledRow(gone, clock.instant());
                    write(connection, gone, cancelled, "sync_cancel", published);
                    counts.cancelled++;
                }
            }
            // An event skipped before is settled once a later version of it is applied (or cancelled),
            // and, at the end of a full listing, when Google no longer has it.
            Set<String> settled = new HashSet<>();
            chunk.forEach(event -> settled.add(event.id()));
            skipped.forEach(event -> settled.remove(event.googleEventId()));
            states.recordSkipped(connection, walk.calendarId(), skipped,
                    id -> settled.contains(id) || completesFullWalk && !seen.contains(id));
            if (nextSyncToken != null) {
                states.completeWalk(connection, walk.calendarId(), nextSyncToken, walk.full(), clock.instant());
            }
            return counts;
        });
        walk.add(tally, skipped.size());
        if (!published.isEmpty()) {
            audit.publish(published);
        }
    }

    /** One Google change, under the event's meeting lock and a savepoint: an event that cannot be stored is skipped. */
    private void apply(Connection connection, String calendarId, GoogleEventSnapshot event, Tally counts,
                       List<String> published, List<SkippedEvent> skipped) throws SQLException {
        if (!MeetingLocks.lockInTransaction(connection, calendarId, event.id(), MEETING_LOCK_WAIT)) {
            LOG.warning(() -> "Meeting lock of " + calendarId + "/" + event.id() + " not free after "
                    + MEETING_LOCK_WAIT + "; applying the change without it");
        }
        Optional<CalendarEvent> existing = events.lockByGoogleId(connection, calendarId, event.id());
        if (existing.isPresent() && olderThanTheRow(event, existing.get())) {
            // Listed before PipeDesk's own later write of the event reached the mirror (the listing
            // is not under the meeting lock): the row is newer; applying this would undo that write.
            LOG.info(() -> "Sync of " + calendarId + ": event " + event.id() + " as listed (updated " + event.updated()
                    + ") is older than its mirror row (" + existing.get().googleUpdatedAt() + "); left as it is");
            counts.unchanged++;
            return;
        }
        if (event.status() == EventStatus.CANCELLED) {
            if (existing.isEmpty()) {
                counts.unchanged++;  // a deletion of an event the mirror never had (or a removed recurring instance)
                return;
            }
            CalendarEvent row = existing.get();
            if (row.isCancelled() || Objects.equals(row.googleEtag(), event.etag())) {
                counts.unchanged++;
                return;
            }
            write(connection, row, MeetingMirror.updatedRow(row, event, clock.instant()), "sync_cancel", published);
            counts.cancelled++;
            return;
        }
        Optional<String> unmirrorable = MeetingMirror.unmirrorable(event);
        if (unmirrorable.isPresent()) {
            skip(calendarId, event, unmirrorable.get(), counts, skipped);
            return;
        }
        Savepoint beforeChange = connection.setSavepoint();
        try {
            if (existing.isEmpty()) {
                // A free marker row id is kept (a failed create of PipeDesk's adopts the row when it is
                // retried); creator, link and audit are those of any event made in Google: markers
                // can be written by anyone who may write the calendar, so they prove nothing.
                Optional<String> markerId = PipeDeskMarkers.of(event.privateProperties()).map(PipeDeskMarkers::eventId);
                String rowId = markerId.isPresent() && !events.existsById(connection, markerId.get())
                        ? markerId.get() : Ids.uuid();
                CalendarEvent row = MeetingMirror.newRow(calendarId, event, rowId, clock.instant());
                events.storeByGoogleId(connection, row);
                append(connection, MeetingAudit.created("sync_create", row, ACTOR, SOURCE, NO_REQUEST, clock.instant()),
                        published);
                counts.created++;
            } else {
                CalendarEvent row = existing.get();
                if (Objects.equals(row.googleEtag(), event.etag())) {
                    counts.unchanged++;  // an echo of PipeDesk's own write, or a repeated notification
                    return;
                }
                CalendarEvent after = MeetingMirror.updatedRow(row, event, clock.instant());
                if (MeetingAudit.changes(row, after).isEmpty()) {
                    events.updateIfUnchanged(connection, MeetingMirror.restamped(row, event), row.updatedAt());
                    counts.unchanged++;
                } else {
                    write(connection, row, after, after.isCancelled() ? "sync_cancel" : "sync_update", published);
                    if (after.isCancelled()) {
                        counts.cancelled++;
                    } else {
                        counts.updated++;
                    }
                }
            }
            connection.releaseSavepoint(beforeChange);
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state == null || !(state.startsWith("22") || state.startsWith("23"))) {
                throw e;
            }
            connection.rollback(beforeChange);
            skip(calendarId, event, "the database refused it (" + state + ")", counts, skipped);
        }
    }

    /**
     * Whether Google's {@code updated} of the listed version is before the one the mirror row holds
     * (both are Google's timestamps of this event, which only grow). Bare tombstones carry none.
     */
    private static boolean olderThanTheRow(GoogleEventSnapshot event, CalendarEvent row) {
        return event.updated() != null && row.googleUpdatedAt() != null && event.updated().isBefore(row.googleUpdatedAt());
    }

    private void skip(String calendarId, GoogleEventSnapshot event, String reason, Tally counts,
                      List<SkippedEvent> skipped) {
        LOG.warning(() -> "Sync of " + calendarId + " skipped event " + event.id() + ": " + reason);
        skipped.add(new SkippedEvent(event.id(), reason, clock.instant()));
        counts.skipped++;
    }

    private void write(Connection connection, CalendarEvent before, CalendarEvent after, String action,
                       List<String> published) throws SQLException {
        CalendarEvent stored = events.updateIfUnchanged(connection, after, before.updatedAt())
                .orElseThrow(() -> new SQLException("The mirror row " + before.id() + " changed under its lock"));
        append(connection, MeetingAudit.changed(action, before, stored, ACTOR, SOURCE, NO_REQUEST, clock.instant()),
                published);
    }

    private static void append(Connection connection, AuditEvent event, List<String> published) throws SQLException {
        AuditOutbox.append(connection, event);
        published.add(event.eventId());
    }

    private static boolean trySyncLock(Connection connection, String calendarId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
            statement.setInt(1, SYNC_LOCK_CLASS);
            statement.setString(2, calendarId);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void releaseSyncLock(Connection connection, String calendarId) {
        try (PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            statement.setInt(1, SYNC_LOCK_CLASS);
            statement.setString(2, calendarId);
            statement.execute();
        } catch (SQLException e) {
            try {
                connection.abort(Runnable::run);  // closing the session releases the lock
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
        }
    }

    /** Counts of one transaction. */
    private static final class Tally {
        int created;
        int updated;
        int cancelled;
        int unchanged;
        int skipped;
    }

    /** A walk's running totals. */
    private static final class Walk {
        private final String calendarId;
        private final boolean full;
        int pages;
        int created;
        int updated;
        int cancelled;
        int unchanged;
        int skipped;

        private Walk(String calendarId, boolean full) {
            this.calendarId = calendarId;
            this.full = full;
        }

        static Walk full(String calendarId) {
            return new Walk(calendarId, true);
        }

        static Walk incremental(String calendarId) {
            return new Walk(calendarId, false);
        }

        String calendarId() {
            return calendarId;
        }

        boolean full() {
            return full;
        }

        /** A full walk that follows an interrupted one carries its counts on (what it committed stays). */
        Walk after(Walk interrupted) {
            pages = interrupted.pages;
            created = interrupted.created;
            updated = interrupted.updated;
            cancelled = interrupted.cancelled;
            unchanged = interrupted.unchanged;
            skipped = interrupted.skipped;
            return this;
        }

        void add(Tally tally, int skippedEvents) {
            created += tally.created;
            updated += tally.updated;
            cancelled += tally.cancelled;
            unchanged += tally.unchanged;
            skipped += tally.skipped;
        }

        SyncOutcome end(SyncOutcome.Result result, String detail) {
            return new SyncOutcome(calendarId, full ? SyncOutcome.Kind.FULL : SyncOutcome.Kind.INCREMENTAL, pages,
                    created, updated, cancelled, unchanged, skipped, result, detail);
        }
    }
}
