package dev.pipedesk.postgres;

import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One audit event as a new row of {@code audit_logs}: the columns the writer sets, as the event
 * carries them ({@code id} and {@code recorded_at} are the database's).
 *
 * @param occurredAt the event's ISO-8601 date-time, with its offset
 * @param before     JSON text, or null
 * @param after      JSON text, or null
 * @param changes    JSON text ({@code {field: {old, new}}}), or null
 */
public record NewAuditLogEntry(String eventId, int schemaVersion, String entityType, String entityId, String action,
                               String actorType, String actorId, String occurredAt, String before, String after,
                               String changes, String source, String requestId, String ip, String userAgent) {

    static final String COLUMNS = "event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id, "
            + "occurred_at, before, after, changes, source, request_id, ip, user_agent";
    /** The values of one row: the parameters of one row of {@link #insertSql}. */
    public static final int COLUMN_COUNT = 15;
    static final String PLACEHOLDERS = "(?::uuid, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)";
    private static final String INSERT = "insert into audit_logs (" + COLUMNS + ") values ";
    private static final String ON_CONFLICT = " on conflict (event_id) do nothing";

    /** From an event that passed the audit contract's validation (so required fields are present). */
    public static NewAuditLogEntry fromEvent(JsonNode event) {
        JsonNode actor = event.get("actor");
        return new NewAuditLogEntry(event.get("event_id").asString(), event.get("schema_version").asInt(),
                event.get("entity_type").asString(), event.get("entity_id").asString(), event.get("action").asString(),
                actor.get("type").asString(), actor.get("id").asString(), event.get("occurred_at").asString(),
                json(event.get("before")), json(event.get("after")), json(event.get("changes")),
                event.get("source").asString(), text(event.get("request_id")), text(event.get("ip")),
                text(event.get("user_agent")));
    }

    /**
     * The audit-writer's statement for {@code rows} entries: one multi-row
     * {@code INSERT … ON CONFLICT (event_id) DO NOTHING}, whose parameters are the
     * {@link #addValuesTo values} of each entry in turn. Keep {@code rows × }{@link #COLUMN_COUNT}
     * within PostgreSQL's 65,535 parameters ({@link AuditLogRepository#ROWS_PER_STATEMENT}).
     */
    public static String insertSql(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be 1 or more");
        }
        StringBuilder sql = new StringBuilder(INSERT.length() + rows * (PLACEHOLDERS.length() + 2) + ON_CONFLICT.length());
        sql.append(INSERT).append(PLACEHOLDERS);
        for (int i = 1; i < rows; i++) {
            sql.append(", ").append(PLACEHOLDERS);
        }
        return sql.append(ON_CONFLICT).toString();
    }

    /** Appends this entry's {@link #COLUMN_COUNT} parameters of {@link #insertSql}, in order. */
    public void addValuesTo(List<Object> values) {
        values.addAll(Arrays.asList(eventId, schemaVersion, entityType, entityId, action, actorType, actorId, occurredAt,
                before, after, changes, source, requestId, ip, userAgent));
    }

    private static String json(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }
}
