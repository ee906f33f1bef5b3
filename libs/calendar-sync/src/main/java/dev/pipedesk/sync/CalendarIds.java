package dev.pipedesk.sync;

import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.postgres.Jdbc;
import dev.pipedesk.postgres.Transactions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Canonical calendar ids. Google's alias {@code primary} (the acting user's own calendar) is
 * resolved once, with {@code calendars.get}, to the calendar's own id (its owner's e-mail), and
 * stored in {@code google_calendar_aliases}; every table then keys the calendar by that id, so one
 * calendar never has two keys. Mirror rows stored under the alias before it was resolved are
 * re-keyed at that moment. Any other id is Google's own id already and is kept as written.
 */
public final class CalendarIds {
    /** Google's alias for the acting user's own calendar. */
    public static final String PRIMARY = "primary";

    private final DataSource dataSource;
    private final GoogleCalendarFeed google;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    public CalendarIds(DataSource dataSource, GoogleCalendarFeed google) {
        this.dataSource = dataSource;
        this.google = google;
    }

    /**
     * The canonical id of {@code calendarId}: from memory, else the stored alias, else Google's answer
     * (then stored).
     *
     * @throws dev.pipedesk.google.GoogleCalendarException when the alias has to be resolved and Google fails
     */
    public String canonical(String calendarId) {
        if (!PRIMARY.equals(calendarId)) {
            return calendarId;
        }
        String known = resolved.get(calendarId);
        if (known != null) {
            return known;
        }
        String canonical = stored(calendarId).orElseGet(() -> store(calendarId, google.canonicalId(calendarId)));
        resolved.put(calendarId, canonical);
        return canonical;
    }

    private Optional<String> stored(String alias) {
        return Transactions.withAutoCommit(dataSource, connection -> Jdbc.first(connection,
                "select calendar_id from google_calendar_aliases where alias = ?", List.of(alias),
                row -> row.getString(1)));
    }

    /** Stores the alias (a concurrent resolution's answer wins if it was first) and re-keys rows stored under it. */
    private String store(String alias, String canonical) {
        return Transactions.inTransaction(dataSource, connection -> {
            Jdbc.update(connection, "insert into google_calendar_aliases (alias, calendar_id) values (?, ?) "
                    + "on conflict (alias) do nothing", List.of(alias, canonical));
            String winner = Jdbc.first(connection, "select calendar_id from google_calendar_aliases where alias = ?",
                    List.of(alias), row -> row.getString(1)).orElseThrow();
            Jdbc.update(connection, "update calendar_events e set calendar_id = ? where e.calendar_id = ? "
                    + "and not exists (select 1 from calendar_events o where o.calendar_id = ? "
                    + "and o.google_event_id = e.google_event_id)", List.of(winner, alias, winner));
            return winner;
        });
    }
}
