package dev.pipedesk.calendar;

import static org.awaitility.Awaitility.await;

import dev.pipedesk.testing.OutboxTestEnvironment;
import dev.pipedesk.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The audit events the calendar published to the test's queue (the service publishes in the background). */
final class PublishedAudit {
    private PublishedAudit() {
    }

    /** The audit actions published for a meeting, oldest first, once its outbox rows are all sent. */
    static List<String> actionsOf(OutboxTestEnvironment environment, String meetingId) {
        return eventsOf(environment, meetingId).stream().map(event -> event.path("action").asString()).toList();
    }

    /** The audit events published for a meeting (their JSON), oldest first, once its outbox rows are all sent. */
    static List<JsonNode> eventsOf(OutboxTestEnvironment environment, String meetingId) {
        await("the meeting's audit events published").atMost(Duration.ofSeconds(30))
                .until(() -> outboxRowsOf(environment, meetingId) == 0);
        return environment.receiveAll().stream()
                .map(message -> Json.MAPPER.readTree(message.body()))
                .filter(event -> event.path("entity_id").asString().equals(meetingId))
                .sorted(Comparator.comparing(event -> event.path("occurred_at").asString()))
                .toList();
    }

    private static int outboxRowsOf(OutboxTestEnvironment environment, String meetingId) throws SQLException {
        try (Connection c = environment.dataSource().getConnection();
             PreparedStatement query = c.prepareStatement(
                     "select count(*) from audit_outbox where payload->>'entity_id' = ?")) {
            query.setString(1, meetingId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
