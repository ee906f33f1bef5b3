package dev.pipedesk.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** What audit_outbox holds, oldest first. */
record OutboxRows(List<Row> rows) {

    record Row(String eventId, int attempts, Instant nextAttemptAt, String lastError) {
    }

    static OutboxRows read(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "select event_id::text, attempts, next_attempt_at, last_error from audit_outbox order by id")) {
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getString(4)));
            }
            return new OutboxRows(rows);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> eventIds() {
        return rows.stream().map(Row::eventId).toList();
    }
}
