package dev.pipedesk.core.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One audit event, as it travels through the outbox and the SQS audit queue (contract:
 * docs/audit-events.md and its JSON Schema, libs/audit/src/main/resources/audit-event.schema.json).
 * {@code eventId} is the idempotency key: the audit log holds each event at most once.
 *
 * @param changes field name to {@code {"old": ..., "new": ...}}, JSON types kept; null when the
 *                action has no field-level diff (e.g. create, delete)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditEvent(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("entity_type") String entityType,
        @JsonProperty("entity_id") String entityId,
        @JsonProperty("action") String action,
        @JsonProperty("actor") Actor actor,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("before") JsonNode before,
        @JsonProperty("after") JsonNode after,
        @JsonProperty("changes") Map<String, Change> changes,
        @JsonProperty("source") String source,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("ip") String ip,
        @JsonProperty("user_agent") String userAgent) {

    public static final int SCHEMA_VERSION = 1;

    public AuditEvent {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(entityType, "entity_type");
        Objects.requireNonNull(entityId, "entity_id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(occurredAt, "occurred_at");
        Objects.requireNonNull(source, "source");
        changes = changes == null ? null : Map.copyOf(changes);
    }

    /** Who made the change: a user id, or a system job ({@code system:<job>}). Never null. */
    public record Actor(@JsonProperty("type") ActorType type, @JsonProperty("id") String id) {
        public Actor {
            Objects.requireNonNull(type, "actor.type");
            Objects.requireNonNull(id, "actor.id");
        }

        public static Actor user(String userId) {
            return new Actor(ActorType.USER, userId);
        }

        /** A system actor; its id is {@code system:<job>}. */
        public static Actor system(String job) {
            return new Actor(ActorType.SYSTEM, job.startsWith("system:") ? job : "system:" + job);
        }
    }

    public enum ActorType {
        @JsonProperty("user") USER,
        @JsonProperty("system") SYSTEM
    }

    /** One field's old and new value. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Change(@JsonProperty("old") JsonNode oldValue, @JsonProperty("new") JsonNode newValue) {
    }
}
