package dev.pipedesk.audit;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.postgres.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/** Audit events for tests. */
final class AuditEvents {
    private AuditEvents() {
    }

    static AuditEvent leadStatusChange(String leadId) {
        JsonNode before = Json.MAPPER.readTree("{\"id\":\"" + leadId + "\",\"status\":\"new\",\"value\":1500.5}");
        JsonNode after = Json.MAPPER.readTree("{\"id\":\"" + leadId + "\",\"status\":\"won\",\"value\":1500.5}");
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "lead", leadId, "status_change",
                AuditEvent.Actor.user("user-42"), Instant.parse("2026-03-01T10:15:30.123Z"), before, after,
                Map.of("status", new AuditEvent.Change(Json.MAPPER.readTree("\"new\""), Json.MAPPER.readTree("\"won\""))),
                "crm-web", "req-7f3a", "203.0.113.7", "Mozilla/5.0");
    }

    /** Appends {@code count} lead events to the outbox, one committed transaction each (so oldest first is well defined). */
    static List<AuditEvent> appendCommitted(DataSource dataSource, int count) {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AuditEvent event = leadStatusChange("lead-" + i);
            Transactions.inTransaction(dataSource, connection -> {
                AuditOutbox.append(connection, event);
                return null;
            });
            events.add(event);
        }
        return events;
    }
}
