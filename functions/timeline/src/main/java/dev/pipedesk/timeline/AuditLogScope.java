package dev.pipedesk.timeline;

/** Which part of the audit log a route reads: everything, one entity's trail, or one actor's. */
sealed interface AuditLogScope {

    /** {@code GET /api/audit-logs}: every filter comes from the query string. */
    record All() implements AuditLogScope {
    }

    /** {@code GET /api/audit-logs/entity/{entity_type}/{entity_id}}. */
    record Entity(String entityType, String entityId) implements AuditLogScope {
    }

    /** {@code GET /api/audit-logs/user/{user_id}}: the entries whose actor is this user. */
    record User(String userId) implements AuditLogScope {
    }
}
