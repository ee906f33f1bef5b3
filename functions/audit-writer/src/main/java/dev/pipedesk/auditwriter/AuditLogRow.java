package dev.pipedesk.auditwriter;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import tools.jackson.databind.JsonNode;

/** One validated event, as the columns of an {@code audit_logs} row. */
record AuditLogRow(String messageId, String eventId, int schemaVersion, String entityType, String entityId,
                   String action, String actorType, String actorId, String occurredAt, String before, String after,
                   String changes, String source, String requestId, String ip, String userAgent) {

    static final String COLUMNS = "event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id, "
            + "occurred_at, before, after, changes, source, request_id, ip, user_agent";
    static final String PLACEHOLDERS = "(?::uuid, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)";
    static final int PARAMETERS = 15;

    /** From an event that passed the contract's validation (so required fields are present). */
    static AuditLogRow of(String messageId, JsonNode event) {
        JsonNode actor = event.get("actor");
        return new AuditLogRow(messageId, event.get("event_id").asString(), event.get("schema_version").asInt(),
                event.get("entity_type").asString(), event.get("entity_id").asString(), event.get("action").asString(),
                actor.get("type").asString(), actor.get("id").asString(), event.get("occurred_at").asString(),
                json(event.get("before")), json(event.get("after")), json(event.get("changes")),
                event.get("source").asString(), text(event.get("request_id")), text(event.get("ip")),
                text(event.get("user_agent")));
    }

    /** Binds this row's values from parameter {@code first} on. */
    void bind(PreparedStatement statement, int first) throws SQLException {
        int i = first;
        statement.setString(i++, eventId);
        statement.setInt(i++, schemaVersion);
        statement.setString(i++, entityType);
        statement.setString(i++, entityId);
        statement.setString(i++, action);
        statement.setString(i++, actorType);
        statement.setString(i++, actorId);
        statement.setString(i++, occurredAt);
        statement.setString(i++, before);
        statement.setString(i++, after);
        statement.setString(i++, changes);
        statement.setString(i++, source);
        statement.setString(i++, requestId);
        statement.setString(i++, ip);
        statement.setString(i, userAgent);
    }

    private static String json(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }
}
