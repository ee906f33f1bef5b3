package dev.pipedesk.postgres;

import static dev.pipedesk.postgres.Jdbc.instant;

import dev.pipedesk.core.Ids;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The {@code calendar_events} table. */
public final class CalendarEventRepository {
    /** Set when the row is created, never changed afterwards. */
    private static final String FIXED_COLUMNS = "id, google_event_id, calendar_id, created_by, idempotency_key, "
            + "request_hash, created_at";
    private static final String FIXED_PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?";
    /** What a write may change, in the order of {@link #mutableValues}. */
    private static final String MUTABLE_COLUMNS = "summary, description, start_time, end_time, meet_link, "
            + "conference_status, html_link, status, organizer_email, attendees, entity_type, entity_id, google_etag, "
            + "google_updated_at, updated_at";
    private static final String MUTABLE_PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?";
    private static final String COLUMNS = FIXED_COLUMNS + ", " + MUTABLE_COLUMNS;
    /** The meetings with an attendee of one address (the parameter), compared case-insensitively. */
    static final String ATTENDED_BY = "exists (select 1 from jsonb_array_elements(attendees) attendee "
            + "where lower(attendee ->> 'email') = lower(?))";

    private final DataSource dataSource;

    public CalendarEventRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Finds an event by its local id (a UUID) or, failing that, by its Google event id. */
    public Optional<CalendarEvent> findByIdOrGoogleId(String id) {
        return Transactions.withAutoCommit(dataSource, connection -> {
            Optional<CalendarEvent> byId = isUuid(id)
                    ? Jdbc.first(connection, "select " + COLUMNS + " from calendar_events where id = ?",
                            List.of(UUID.fromString(id)), CalendarEventRepository::map)
                    : Optional.empty();
            return byId.isPresent() ? byId : Jdbc.first(connection, "select " + COLUMNS
                            + " from calendar_events where google_event_id = ? order by created_at limit 1",
                    List.of(id), CalendarEventRepository::map);
        });
    }

    public Optional<CalendarEvent> findByIdempotencyKey(String createdBy, String idempotencyKey) {
        return Transactions.withAutoCommit(dataSource, connection -> Jdbc.first(connection,
                "select " + COLUMNS + " from calendar_events where created_by = ? and idempotency_key = ?",
                List.of(createdBy, idempotencyKey), CalendarEventRepository::map));
    }

    /**
     * The row of one Google event, locked ({@code for update}) until the caller's transaction ends:
     * no other transaction changes it meanwhile, so what the caller decides from it stays true.
     */
    public Optional<CalendarEvent> findByGoogleIdForUpdate(Connection connection, String calendarId,
                                                           String googleEventId) throws SQLException {
        return Jdbc.first(connection, "select " + COLUMNS + " from calendar_events "
                        + "where calendar_id = ? and google_event_id = ? for update",
                List.of(calendarId, googleEventId), CalendarEventRepository::map);
    }

    /**
     * The stored row, and whether this call inserted it ({@code false}: a row for the same Google
     * event already existed and was refreshed).
     */
    public record Stored(CalendarEvent row, boolean inserted) {
    }

    /**
     * Inserts the event on the caller's connection (its transaction), or — when a row for the
     * same Google event already exists (a retried create, or the sync got there first) —
     * refreshes that row from it, keeping the row's id, creator and creation time.
     */
    public Stored storeByGoogleId(Connection connection, CalendarEvent event) throws SQLException {
        String sql = "insert into calendar_events (" + COLUMNS + ") values (" + FIXED_PLACEHOLDERS + ", "
                + MUTABLE_PLACEHOLDERS + ") "
                + "on conflict (calendar_id, google_event_id) do update set "
                + "summary = excluded.summary, description = excluded.description, "
                + "start_time = excluded.start_time, end_time = excluded.end_time, meet_link = excluded.meet_link, "
                + "conference_status = excluded.conference_status, html_link = excluded.html_link, "
                + "status = excluded.status, organizer_email = excluded.organizer_email, attendees = excluded.attendees, "
                + "entity_type = coalesce(excluded.entity_type, calendar_events.entity_type), "
                + "entity_id = coalesce(excluded.entity_id, calendar_events.entity_id), "
                + "idempotency_key = coalesce(calendar_events.idempotency_key, excluded.idempotency_key), "
                + "request_hash = coalesce(calendar_events.request_hash, excluded.request_hash), "
                + "google_etag = excluded.google_etag, google_updated_at = excluded.google_updated_at, "
                + "updated_at = excluded.updated_at "
                // xmax is 0 on a freshly inserted row version, and set on one the conflict updated.
                + "returning " + COLUMNS + ", (xmax = 0) as inserted";
        List<Object> values = new ArrayList<>(Arrays.asList(UUID.fromString(event.id()), event.googleEventId(),
                event.calendarId(), event.createdBy(), event.idempotencyKey(), event.requestHash(), event.createdAt()));
        values.addAll(mutableValues(event));
        return Jdbc.first(connection, sql, values, row -> new Stored(map(row), row.getBoolean("inserted")))
                .orElseThrow();
    }

    /**
     * Overwrites the mutable fields of the row with the event's id, on the caller's connection
     * (its transaction), provided the row is still the version the caller read: its
     * {@code updated_at} equals {@code readVersion}. Returns the stored row, or empty when the row
     * changed (or vanished) since it was read, in which case nothing is written.
     */
    public Optional<CalendarEvent> updateIfUnchanged(Connection connection, CalendarEvent event, Instant readVersion)
            throws SQLException {
        String sql = "update calendar_events set (" + MUTABLE_COLUMNS + ") = (" + MUTABLE_PLACEHOLDERS + ") "
                + "where id = ? and updated_at = ? returning " + COLUMNS;
        List<Object> values = new ArrayList<>(mutableValues(event));
        values.add(UUID.fromString(event.id()));
        values.add(readVersion);
        return Jdbc.first(connection, sql, values, CalendarEventRepository::map);
    }

    /**
     * Gives a row its creator, on the caller's connection: a create adopting a row the sync stored
     * (creator {@code system:google-sync}) records who made the meeting.
     */
    public void setCreator(Connection connection, String id, String createdBy) throws SQLException {
        Jdbc.update(connection, "update calendar_events set created_by = ? where id = ?",
                List.of(createdBy, UUID.fromString(id)));
    }

    /** Whether a row has this local id, on the caller's connection. */
    public boolean existsById(Connection connection, String id) throws SQLException {
        return isUuid(id) && Jdbc.first(connection, "select 1 from calendar_events where id = ?",
                List.of(UUID.fromString(id)), row -> true).isPresent();
    }

    /** The row of a Google event, locked for the rest of the caller's transaction. */
    public Optional<CalendarEvent> lockByGoogleId(Connection connection, String calendarId, String googleEventId)
            throws SQLException {
        return Jdbc.first(connection, "select " + COLUMNS + " from calendar_events "
                        + "where calendar_id = ? and google_event_id = ? for update",
                List.of(calendarId, googleEventId), CalendarEventRepository::map);
    }

    /**
     * The calendar's rows that are not cancelled, whose Google id is none of {@code googleEventIds}
     * and that nobody wrote since {@code unchangedSince}, locked for the caller's transaction: after
     * a full listing, the events Google no longer has.
     */
    public List<CalendarEvent> lockLiveMissingFrom(Connection connection, String calendarId,
                                                   Collection<String> googleEventIds, Instant unchangedSince)
            throws SQLException {
        java.sql.Array ids = connection.createArrayOf("text", googleEventIds.toArray());
        try {
            return Jdbc.list(connection, "select " + COLUMNS + " from calendar_events where calendar_id = ? "
                            + "and status <> 'cancelled' and updated_at < ? and not (google_event_id = any (?)) "
                            + "order by id for update",
                    List.of(calendarId, unchangedSince, ids), CalendarEventRepository::map);
        } finally {
            ids.free();
        }
    }

    /** A page of events in a stable order (start time, then id) with the total count. */
    public EventPage list(EventQuery query) {
        Where where = Where.none()
                .andIfPresent("end_time > ?", query.timeMin())
                .andIfPresent("start_time < ?", query.timeMax());
        if (query.status() != null) {
            where = where.and("status = ?", query.status().wire());
        } else if (!query.allStatuses()) {
            where = where.and("status <> 'cancelled'");
        }
        Where filters = where
                .andIfPresent("entity_type = ?", query.entityType() == null ? null : query.entityType().wire())
                .andIfPresent("entity_id = ?", query.entityId())
                .andIfPresent("calendar_id = ?", query.calendarId())
                .andIfPresent(ATTENDED_BY, query.attendeeEmail());
        return Transactions.withAutoCommit(dataSource, connection -> {
            long total = Jdbc.count(connection, "select count(*) from calendar_events" + filters.sql(),
                    filters.parameters());
            List<CalendarEvent> items = Jdbc.list(connection, "select " + COLUMNS + " from calendar_events"
                    + filters.sql() + " order by start_time, id limit ? offset ?",
                    filters.parametersThen(query.limit(), query.offset()), CalendarEventRepository::map);
            return new EventPage(List.copyOf(items), total);
        });
    }

    /** The values of {@link #MUTABLE_COLUMNS}, in order. */
    private static List<Object> mutableValues(CalendarEvent e) {
        return Arrays.asList(e.summary(), e.description(), e.startTime(), e.endTime(), e.meetLink(),
                e.conferenceStatus().wire(), e.htmlLink(), e.status().wire(), e.organizerEmail(),
                StoredAttendees.write(e.attendees()), e.entityType() == null ? null : e.entityType().wire(), e.entityId(),
                e.googleEtag(), e.googleUpdatedAt(), e.updatedAt());
    }

    private static CalendarEvent map(ResultSet row) throws SQLException {
        return map(row, ColumnLabels.UNPREFIXED);
    }

    /** A row whose calendar_events columns carry {@code columns}' labels (prefixed in the timeline's merged rows). */
    static CalendarEvent map(ResultSet row, ColumnLabels columns) throws SQLException {
        return new CalendarEvent(
                row.getObject(columns.of("id")).toString(),
                row.getString(columns.of("google_event_id")),
                row.getString(columns.of("calendar_id")),
                row.getString(columns.of("summary")),
                row.getString(columns.of("description")),
                instant(row, columns.of("start_time")),
                instant(row, columns.of("end_time")),
                row.getString(columns.of("meet_link")),
                ConferenceStatus.parse(row.getString(columns.of("conference_status"))).orElse(ConferenceStatus.NONE),
                row.getString(columns.of("html_link")),
                EventStatus.parse(row.getString(columns.of("status"))).orElse(EventStatus.CONFIRMED),
                row.getString(columns.of("organizer_email")),
                StoredAttendees.read(row.getString(columns.of("attendees"))),
                EntityType.parse(row.getString(columns.of("entity_type"))).orElse(null),
                row.getString(columns.of("entity_id")),
                row.getString(columns.of("created_by")),
                row.getString(columns.of("idempotency_key")),
                row.getString(columns.of("request_hash")),
                row.getString(columns.of("google_etag")),
                instant(row, columns.of("google_updated_at")),
                instant(row, columns.of("created_at")),
                instant(row, columns.of("updated_at")));
    }

    private static boolean isUuid(String id) {
        return Ids.isUuid(id);
    }
}
