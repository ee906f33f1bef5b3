package dev.pipedesk.sync;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.google.GoogleCalendarFeed;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Incremental sync of one calendar into the mirror (docs/sync.md). Callers make sure one calendar
 * is not synced twice at once (the FIFO queue's group); this class also holds a per-calendar lock.
 */
public final class CalendarSync {
    private final DataSource dataSource;
    private final GoogleCalendarFeed google;
    private final AuditOutbox audit;
    private final SyncSettings settings;
    private final Clock clock;

    public CalendarSync(DataSource dataSource, GoogleCalendarFeed google, AuditOutbox audit, SyncSettings settings,
                        Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.google = Objects.requireNonNull(google, "google");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Syncs the calendar (canonical id): incremental from its token, or full when it has none. Never throws for Google failures. */
    public SyncOutcome sync(String calendarId) {
        throw new UnsupportedOperationException("being written");
    }
}
