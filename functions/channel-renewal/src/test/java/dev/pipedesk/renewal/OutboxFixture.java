package dev.pipedesk.renewal;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.postgres.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Puts events into the outbox the way producers do, and leaves them there (as if publish never ran). */
final class OutboxFixture {
    private OutboxFixture() {
    }

    static List<String> leftInOutbox(DataSource dataSource, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AuditEvent event = new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "lead", "lead-" + i,
                    "update", AuditEvent.Actor.user("user-1"), Instant.parse("2026-03-01T10:00:00Z"),
                    Json.MAPPER.readTree("{\"name\":\"Ada\"}"), Json.MAPPER.readTree("{\"name\":\"Ada L.\"}"),
                    null, "crm-web", null, null, null);
            Transactions.inTransaction(dataSource, connection -> {
                AuditOutbox.append(connection, event);
                return null;
            });
            ids.add(event.eventId());
        }
        return ids;
    }
}
