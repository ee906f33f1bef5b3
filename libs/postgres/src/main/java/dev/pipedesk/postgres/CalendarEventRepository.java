package dev.pipedesk.postgres;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import tools.jackson.core.type.TypeReference;

/** The {@code calendar_events} table. */
public final class CalendarEventRepository {
    private static final TypeReference<List<Attendee>> ATTENDEES = new TypeReference<>() { };
    private static final String COLUMNS = """
            id, google_event_id, calendar_id, summary, description, start_time, end_time, meet_link,
            conference_status, html_link, status, organizer_email, attendees, entity_type, entity_id,
            created_by, idempotency_key, request_hash, google_etag, google_updated_at, created_at, updated_at""";

    private final DataSource dataSource;

    public CalendarEventRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Finds an event by its local id (a UUID) or, failing that, by its Google event id. */
    public Optional<CalendarEvent> findByIdOrGoogleId(String id) {
        if (isUuid(id)) {
            Optional<CalendarEvent> byId = queryOne("select " + COLUMNS + " from calendar_events where id = ?",
                    ps -> ps.setObject(1, UUID.fromString(id)));
            if (byId.isPresent()) {
                return byId;
            }
        }
        return queryOne("select " + COLUMNS + " from calendar_events where google_event_id = ? order by created_at limit 1",
                ps -> ps.setString(1, id));
    }

    public Optional<CalendarEvent> findByGoogleId(String calendarId, String googleEventId) {
        return queryOne("select " + COLUMNS + " from calendar_events where calendar_id = ? and google_event_id = ?",
                ps -> {
                    ps.setString(1, calendarId);
                    ps.setString(2, googleEventId);
                });
    }

    public Optional<CalendarEvent> findByIdempotencyKey(String createdBy, String idempotencyKey) {
        return queryOne("select " + COLUMNS + " from calendar_events where created_by = ? and idempotency_key = ?",
                ps -> {
                    ps.setString(1, createdBy);
                    ps.setString(2, idempotencyKey);
                });
    }

    /**
     * Inserts the event, or — when a row for the same Google event already exists (a retried
     * create, or the sync got there first) — refreshes that row from it, keeping the row's id,
     * creator and creation time. Returns the stored row.
     */
    public CalendarEvent upsertByGoogleId(CalendarEvent event) {
        return Transactions.inTransaction(dataSource, connection -> upsertByGoogleId(connection, event));
    }

    /** {@link #upsertByGoogleId(CalendarEvent)} on the caller's connection (its transaction). */
    public CalendarEvent upsertByGoogleId(Connection c, CalendarEvent event) throws SQLException {
        return storeByGoogleId(c, event).row();
    }

    /**
     * The stored row, and whether this call inserted it ({@code false}: a row for the same Google
     * event already existed and was refreshed).
     */
    public record Stored(CalendarEvent row, boolean inserted) {
    }

    /** {@link #upsertByGoogleId(Connection, CalendarEvent)}, telling an insert from a refresh. */
    public Stored storeByGoogleId(Connection c, CalendarEvent event) throws SQLException {
        String sql = "insert into calendar_events (" + COLUMNS + ") values "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
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
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAll(ps, event);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Stored(map(rs), rs.getBoolean("inserted"));
            }
        }
    }

    /**
     * Overwrites the mutable fields of the row with the event's id, on the caller's connection
     * (its transaction), provided the row is still the version the caller read: its
     * {@code updated_at} equals {@code readVersion}. Returns the stored row, or empty when the row
     * changed (or vanished) since it was read, in which case nothing is written.
     */
    public Optional<CalendarEvent> updateIfUnchanged(Connection c, CalendarEvent event, Instant readVersion)
            throws SQLException {
        String sql = "update calendar_events set summary = ?, description = ?, start_time = ?, end_time = ?, "
                + "meet_link = ?, conference_status = ?, html_link = ?, status = ?, organizer_email = ?, "
                + "attendees = ?::jsonb, entity_type = ?, entity_id = ?, google_etag = ?, google_updated_at = ?, "
                + "updated_at = ? where id = ? and updated_at = ? returning " + COLUMNS;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, event.summary());
            ps.setString(i++, event.description());
            ps.setTimestamp(i++, Timestamp.from(event.startTime()));
            ps.setTimestamp(i++, Timestamp.from(event.endTime()));
            ps.setString(i++, event.meetLink());
            ps.setString(i++, event.conferenceStatus().wire());
            ps.setString(i++, event.htmlLink());
            ps.setString(i++, event.status().wire());
            ps.setString(i++, event.organizerEmail());
            ps.setString(i++, Json.write(event.attendees()));
            ps.setString(i++, event.entityType() == null ? null : event.entityType().wire());
            ps.setString(i++, event.entityId());
            ps.setString(i++, event.googleEtag());
            setInstant(ps, i++, event.googleUpdatedAt());
            setInstant(ps, i++, event.updatedAt());
            ps.setObject(i++, UUID.fromString(event.id()));
            setInstant(ps, i, readVersion);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** A page of events in a stable order (start time, then id) with the total count. */
    public EventPage list(EventQuery query) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (query.timeMin() != null) {
            where.append(" and end_time > ?");
            params.add(Timestamp.from(query.timeMin()));
        }
        if (query.timeMax() != null) {
            where.append(" and start_time < ?");
            params.add(Timestamp.from(query.timeMax()));
        }
        if (query.status() == null && !query.allStatuses()) {
            where.append(" and status <> 'cancelled'");
        } else if (query.status() != null) {
            where.append(" and status = ?");
            params.add(query.status().wire());
        }
        if (query.entityType() != null) {
            where.append(" and entity_type = ?");
            params.add(query.entityType().wire());
        }
        if (query.entityId() != null) {
            where.append(" and entity_id = ?");
            params.add(query.entityId());
        }
        if (query.calendarId() != null) {
            where.append(" and calendar_id = ?");
            params.add(query.calendarId());
        }
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from calendar_events" + where)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<CalendarEvent> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from calendar_events" + where
                    + " order by start_time, id limit ? offset ?")) {
                List<Object> paged = new ArrayList<>(params);
                paged.add(query.limit());
                paged.add(query.offset());
                bind(ps, paged);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(map(rs));
                    }
                }
            }
            return new EventPage(List.copyOf(items), total);
        } catch (SQLException e) {
            throw new DatabaseException("Could not list calendar events", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<CalendarEvent> queryOne(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException("Could not read calendar event", e);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static void bindAll(PreparedStatement ps, CalendarEvent e) throws SQLException {
        int i = 1;
        ps.setObject(i++, UUID.fromString(e.id()));
        ps.setString(i++, e.googleEventId());
        ps.setString(i++, e.calendarId());
        ps.setString(i++, e.summary());
        ps.setString(i++, e.description());
        ps.setTimestamp(i++, Timestamp.from(e.startTime()));
        ps.setTimestamp(i++, Timestamp.from(e.endTime()));
        ps.setString(i++, e.meetLink());
        ps.setString(i++, e.conferenceStatus().wire());
        ps.setString(i++, e.htmlLink());
        ps.setString(i++, e.status().wire());
        ps.setString(i++, e.organizerEmail());
        ps.setString(i++, Json.write(e.attendees()));
        ps.setString(i++, e.entityType() == null ? null : e.entityType().wire());
        ps.setString(i++, e.entityId());
        ps.setString(i++, e.createdBy());
        ps.setString(i++, e.idempotencyKey());
        ps.setString(i++, e.requestHash());
        ps.setString(i++, e.googleEtag());
        setInstant(ps, i++, e.googleUpdatedAt());
        setInstant(ps, i++, e.createdAt());
        setInstant(ps, i, e.updatedAt());
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(value));
        }
    }

    private static CalendarEvent map(ResultSet rs) throws SQLException {
        return new CalendarEvent(
                rs.getObject("id").toString(),
                rs.getString("google_event_id"),
                rs.getString("calendar_id"),
                rs.getString("summary"),
                rs.getString("description"),
                instant(rs, "start_time"),
                instant(rs, "end_time"),
                rs.getString("meet_link"),
                ConferenceStatus.parse(rs.getString("conference_status")).orElse(ConferenceStatus.NONE),
                rs.getString("html_link"),
                EventStatus.parse(rs.getString("status")).orElse(EventStatus.CONFIRMED),
                rs.getString("organizer_email"),
                Json.MAPPER.readValue(rs.getString("attendees"), ATTENDEES),
                EntityType.parse(rs.getString("entity_type")).orElse(null),
                rs.getString("entity_id"),
                rs.getString("created_by"),
                rs.getString("idempotency_key"),
                rs.getString("request_hash"),
                rs.getString("google_etag"),
                instant(rs, "google_updated_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static boolean isUuid(String id) {
        return id != null && id.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }
}
