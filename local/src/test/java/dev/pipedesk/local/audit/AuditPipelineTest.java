package dev.pipedesk.local.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Json;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.testing.ApiClient;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Every change ends up exactly once in audit_logs: calendar writes through the API and plain-SQL
 * lead/deal writes, via the outbox, SQS (ElasticMQ), the poller and the audit-writer — even
 * when SQS is down for a while.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class AuditPipelineTest {
    private static final String EVENTS = "/api/calendar/events";
    private static final Duration PIPELINE_WAIT = Duration.ofSeconds(60);

    private final LocalStack stack = LocalStackExtension.stack();
    private final ApiClient sales = LocalStackExtension.api().as(Role.SALES, "audit-sales");

    private static Map<String, Object> meeting(String summary, String deal, Instant start) {
        Map<String, Object> body = new HashMap<>();
        body.put("summary", summary);
        body.put("start_time", start.toString());
        body.put("end_time", start.plus(1, ChronoUnit.HOURS).toString());
        body.put("create_meet_link", false);
        body.put("entity_type", "deal");
        body.put("entity_id", deal);
        return body;
    }

    private record AuditRow(String action, String actorType, String actorId, String source, JsonNode changes,
                            JsonNode before, JsonNode after, String requestId) {
    }

    private List<AuditRow> auditRows(String entityType, String entityId) throws SQLException {
        try (Connection c = stack.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select action, actor_type, actor_id, source, changes::text, before::text, after::text, request_id
                     from audit_logs where entity_type = ? and entity_id = ? order by occurred_at, id""")) {
            ps.setString(1, entityType);
            ps.setString(2, entityId);
            List<AuditRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new AuditRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            json(rs.getString(5)), json(rs.getString(6)), json(rs.getString(7)), rs.getString(8)));
                }
            }
            return rows;
        }
    }

    private static JsonNode json(String text) {
        return text == null ? null : Json.MAPPER.readTree(text);
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection c = stack.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Waits (bounded) until the audit rows of an entity satisfy the condition, and returns them. */
    private List<AuditRow> awaitAudit(String entityType, String entityId, Predicate<List<AuditRow>> condition) {
        return await("audit rows for " + entityType + "/" + entityId).atMost(PIPELINE_WAIT)
                .until(() -> auditRows(entityType, entityId), condition);
    }

    @Test
    void meetingCreateUpdateAndCancelAreAuditedWithActorAndChanges() throws Exception {
        String deal = "deal-" + UUID.randomUUID();
        ApiResponse created = sales.post(EVENTS, meeting("Audited", deal, Instant.parse("2032-01-05T10:00:00Z")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(sales.patch(EVENTS + "/" + id, Map.of("summary", "Audited again")).status()).isEqualTo(200);
        assertThat(sales.delete(EVENTS + "/" + id).status()).isEqualTo(200);

        List<AuditRow> rows = awaitAudit("calendar_event", id, r -> r.size() >= 3);

        assertThat(rows).extracting(AuditRow::action).containsExactly("create", "update", "cancel");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.actorType()).isEqualTo("user");
            assertThat(row.actorId()).isEqualTo("audit-sales");
            assertThat(row.source()).isEqualTo("calendar");
            assertThat(row.requestId()).isNotBlank();
        });
        AuditRow create = rows.get(0);
        assertThat(create.before()).isNull();
        assertThat(create.after().path("summary").asString()).isEqualTo("Audited");
        AuditRow update = rows.get(1);
        assertThat(update.changes().path("summary").path("old").asString()).isEqualTo("Audited");
        assertThat(update.changes().path("summary").path("new").asString()).isEqualTo("Audited again");
        assertThat(update.changes().has("updated_at")).isFalse();
        AuditRow cancel = rows.get(2);
        assertThat(cancel.changes().path("status").path("new").asString()).isEqualTo("cancelled");
    }

    @Test
    void retriesOfOneIdempotentCreateAreAuditedOnce() throws Exception {
        String deal = "deal-" + UUID.randomUUID();
        Map<String, Object> body = meeting("Retried at once", deal, Instant.parse("2032-02-05T10:00:00Z"));
        ApiClient withKey = sales.header("Idempotency-Key", "key-" + UUID.randomUUID());
        List<ApiResponse> responses = repeated(3, () -> withKey.post(EVENTS, body));
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
        String id = responses.getFirst().json().path("id").asString();
        assertThat(responses).allSatisfy(r -> assertThat(r.json().path("id").asString()).isEqualTo(id));

        await("one create event for " + id + ", and nothing more on its way").atMost(PIPELINE_WAIT)
                .during(Duration.ofSeconds(2))
                .until(() -> auditRows("calendar_event", id).stream().filter(r -> r.action().equals("create")).count() == 1
                        && count("select count(*) from audit_outbox where payload->>'entity_id' = ?", id) == 0);
    }

    @Test
    void repeatedCancelsOfOneMeetingAreAuditedOnce() throws Exception {
        String deal = "deal-" + UUID.randomUUID();
        ApiResponse created = sales.post(EVENTS, meeting("Cancelled at once", deal, Instant.parse("2032-03-05T10:00:00Z")));
        String id = created.json().path("id").asString();

        List<ApiResponse> responses = repeated(3, () -> sales.delete(EVENTS + "/" + id));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("status").asString()).isEqualTo("cancelled");
        });
        await("one cancel event for " + id + ", and nothing more on its way").atMost(PIPELINE_WAIT)
                .during(Duration.ofSeconds(2))
                .until(() -> auditRows("calendar_event", id).stream().map(AuditRow::action).toList()
                                     .equals(List.of("create", "cancel"))
                        && count("select count(*) from audit_outbox where payload->>'entity_id' = ?", id) == 0);
    }

    /**
     * Sends the same request several times. (The local stack runs one instance per function, so
     * requests sent at once would be handled one after the other anyway; the real race between two
     * instances is {@code ConcurrentWritesTest} in functions/calendar.)
     */
    private static List<ApiResponse> repeated(int times, Callable<ApiResponse> request) throws Exception {
        List<ApiResponse> responses = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            responses.add(request.call());
        }
        return responses;
    }

    @Test
    void aFailedWriteProducesNoAuditEvent() throws Exception {
        ApiResponse invalid = sales.post(EVENTS, Map.of("summary", "Invalid", "start_time", "nope"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(count("select count(*) from audit_outbox where payload->'after'->>'summary' = ?", "Invalid")).isZero();
        assertThat(count("select count(*) from audit_logs where after->>'summary' = ?", "Invalid")).isZero();
    }

    @Test
    void nothingIsLostWhileSqsIsDown() throws Exception {
        String deal = "deal-outage-" + UUID.randomUUID();
        Instant start = Instant.parse("2033-06-01T08:00:00Z");
        stack.sqs().stop();
        try {
            for (int i = 0; i < 200; i++) {
                ApiResponse created = sales.post(EVENTS, meeting("Outage " + i, deal, start.plus(i, ChronoUnit.HOURS)));
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
            }
            assertThat(count("select count(*) from audit_outbox where payload->'after'->>'entity_id' = ?", deal))
                    .isEqualTo(200);
        } finally {
            stack.sqs().start();
        }
        stack.runScheduledJobsNow();

        String sql = "select count(*) from audit_logs where action = 'create' and after->>'entity_id' = ?";
        await("200 creates in audit_logs").atMost(PIPELINE_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (count(sql, deal) >= 200) {
                return true;
            }
            stack.runScheduledJobsNow();
            return false;
        });
        assertThat(count(sql, deal)).isEqualTo(200);
        assertThat(count("select count(*) from audit_outbox where payload->'after'->>'entity_id' = ?", deal)).isZero();
        assertThat(count("select count(distinct entity_id) from audit_logs where after->>'entity_id' = ?", deal)).isEqualTo(200);
    }

    @Test
    void plainSqlLeadChangesAreAuditedWithTheActorAndOnlyTrackedFields() throws Exception {
        String leadId;
        try (Connection c = stack.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement actor = c.prepareStatement("select set_config('pipedesk.actor', 'crm-user-9', true)")) {
                actor.execute();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into leads (name, email, status) values ('Ana', 'ana@example.com', 'new') returning id::text")) {
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    leadId = rs.getString(1);
                }
            }
            c.commit();
            try (PreparedStatement actor = c.prepareStatement("select set_config('pipedesk.actor', 'crm-user-9', true)")) {
                actor.execute();
            }
            try (PreparedStatement update = c.prepareStatement("update leads set status = 'qualified' where id::text = ?")) {
                update.setString(1, leadId);
                update.executeUpdate();
            }
            c.commit();
        }
        stack.runScheduledJobsNow();

        List<AuditRow> rows = awaitAudit("lead", leadId, r -> r.size() >= 2);

        assertThat(rows).extracting(AuditRow::action).containsExactly("create", "status_change");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.actorId()).isEqualTo("crm-user-9");
            assertThat(row.source()).isEqualTo("database");
        });
        assertThat(rows.get(1).changes().propertyNames()).containsExactly("status");
        assertThat(rows.get(1).changes().path("status").path("new").asString()).isEqualTo("qualified");
    }
}
