package dev.pipedesk.bench;

import dev.pipedesk.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * The peer: the earlier Python backend's timeline method, reproduced in Java/JDBC on the same
 * database so both are measured side by side. What it did for
 * {@code GET /api/timeline/{entity_type}/{entity_id}?limit=&offset=}:
 * <ol>
 *   <li>read every non-cancelled meeting, in start order — the whole table, as its ORM query had
 *       no entity filter — and keep, in memory, those with the entity's e-mail among the
 *       attendees or the entity's id in the description (its attendees JSON parsed per row, as
 *       the ORM hands JSON columns over as objects);</li>
 *   <li>read every audit row of the entity (its own only: not those of its meetings), JSON
 *       columns parsed;</li>
 *   <li>merge both lists, sort them by timestamp descending, slice the page by offset; the total
 *       is the merged list's size.</li>
 * </ol>
 * It had no e-mail source (a placeholder) and no filters; for the benchmark's type- and
 * date-filtered shapes the filters are applied to the merged list in memory, which is the most a
 * client of it could do. One connection per call, as a request-scoped ORM session.
 */
public final class PeerTimeline {
    private final DataSource dataSource;

    public PeerTimeline(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One entry of the merged list. */
    public record Entry(String type, Instant timestamp, String summary, String id) {
    }

    /** A page and the total of the merged list (after the in-memory filters). */
    public record Page(List<Entry> items, int total) {
    }

    /**
     * @param entityEmail the entity's e-mail (matched against attendees), or null
     * @param types       the entry types kept ({@code meeting}, {@code audit}); null: all
     * @param since       inclusive lower bound of the timestamp, or null
     * @param until       exclusive upper bound of the timestamp, or null
     */
    public Page page(String entityType, String entityId, String entityEmail, Set<String> types, Instant since,
                     Instant until, int limit, int offset) {
        try (Connection connection = dataSource.getConnection()) {
            List<Entry> merged = new ArrayList<>();
            merged.addAll(meetings(connection, entityId, entityEmail));
            merged.addAll(audit(connection, entityType, entityId));
            merged.sort(Comparator.comparing(Entry::timestamp).reversed());
            List<Entry> filtered = merged.stream()
                    .filter(e -> types == null || types.contains(e.type()))
                    .filter(e -> since == null || !e.timestamp().isBefore(since))
                    .filter(e -> until == null || e.timestamp().isBefore(until))
                    .toList();
            int from = Math.min(offset, filtered.size());
            int to = Math.min(from + limit, filtered.size());
            return new Page(List.copyOf(filtered.subList(from, to)), filtered.size());
        } catch (SQLException e) {
            throw new IllegalStateException("The peer's timeline failed", e);
        }
    }

    private static List<Entry> meetings(Connection connection, String entityId, String entityEmail) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select id, summary, description, start_time, end_time, attendees, organizer_email, created_by, status
                  from calendar_events
                 where status <> 'cancelled'
                 order by start_time""")) {
            statement.setFetchSize(1_000);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    JsonNode attendees = Json.MAPPER.readTree(rows.getString("attendees"));
                    String description = rows.getString("description");
                    boolean attendee = false;
                    if (entityEmail != null) {
                        for (JsonNode a : attendees) {
                            if (entityEmail.equalsIgnoreCase(a.path("email").asString(""))) {
                                attendee = true;
                                break;
                            }
                        }
                    }
                    if (attendee || (description != null && description.contains(entityId))) {
                        entries.add(new Entry("meeting", rows.getObject("start_time", java.time.OffsetDateTime.class).toInstant(),
                                rows.getString("summary"), "meeting:" + rows.getString("id")));
                    }
                }
            }
        }
        return entries;
    }

    private static List<Entry> audit(Connection connection, String entityType, String entityId) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select id, action, actor_id, occurred_at, before, after, changes
                  from audit_logs
                 where entity_type = ? and entity_id = ?""")) {
            statement.setString(1, entityType);
            statement.setString(2, entityId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String changes = rows.getString("changes");
                    JsonNode changed = changes == null ? null : Json.MAPPER.readTree(changes);
                    json(rows.getString("before"));
                    json(rows.getString("after"));
                    String summary = rows.getString("action") + (changed == null ? "" : ": " + String.join(", ",
                            changed.propertyNames()));
                    entries.add(new Entry("audit", rows.getObject("occurred_at", java.time.OffsetDateTime.class).toInstant(),
                            summary, "audit:" + rows.getLong("id")));
                }
            }
        }
        return entries;
    }

    private static JsonNode json(String text) {
        return text == null ? null : Json.MAPPER.readTree(text);
    }
}
