package dev.pipedesk.local.sqs;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.postgres.DatabaseSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The audit pipeline's infrastructure in the shared local stack: SQS with the audit queue and
 * its DLQ, the audit-writer's database role, and (when audit-writer is built) the poller feeding
 * the queue to it end to end.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class AuditQueueStackTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static long auditRows(LocalStack stack, String eventId) {
        try (Connection c = stack.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from audit_logs where event_id = ?::uuid")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message in the DLQ with this body, looked at without hiding it (visibility timeout 0). */
    private static Optional<Message> inDeadLetterQueue(LocalSqs sqs, String body) {
        List<Message> messages = sqs.client().receiveMessage(r -> r.queueUrl(sqs.deadLetterQueueUrl())
                .maxNumberOfMessages(10).visibilityTimeout(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        return messages.stream().filter(m -> m.body().equals(body)).findFirst();
    }

    @Test
    void runsSqsWithTheAuditQueueAndItsDeadLetterQueue(LocalStack stack, Api api) {
        LocalSqs sqs = stack.sqs();
        ApiResponse health = api.anonymous().get("/health");

        assertThat(health.at("/components/sqs").asString()).isEqualTo("up");
        assertThat(sqs.auditQueueUrl()).isEqualTo(sqs.endpoint() + "/000000000000/pipedesk-audit");
        assertThat(sqs.client().getQueueUrl(r -> r.queueName("pipedesk-audit-dlq")).queueUrl())
                .isEqualTo(sqs.deadLetterQueueUrl());
        assertThat(sqs.auditQueueDepth()).isNotNull();
    }

    @Test
    void reportsSqsDownInHealthWhileItIsStopped(LocalStack stack, Api api) {
        stack.sqs().stop();
        try {
            ApiResponse health = api.anonymous().get("/health");

            assertThat(health.status()).isEqualTo(503);
            assertThat(health.at("/components/sqs").asString()).startsWith("down");
        } finally {
            stack.sqs().start();
        }
        assertThat(api.anonymous().get("/health").at("/components/sqs").asString()).isEqualTo("up");
    }

    @Test
    void theAuditWriterConnectsAsItsOwnRestrictedRole(LocalStack stack) throws Exception {
        DatabaseSettings writer = stack.auditWriterDatabaseSettings();

        assertThat(writer.user()).isEqualTo(LocalStack.AUDIT_WRITER_ROLE);
        try (Connection c = DriverManager.getConnection(writer.jdbcUrl(), writer.user(), writer.password());
             Statement statement = c.createStatement()) {
            try (ResultSet rs = statement.executeQuery("select current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("pipedesk_audit_writer");
            }
            assertThatThrownBy(() -> statement.executeQuery("select count(*) from calendar_events"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeQuery("select actor_id from audit_logs limit 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }

    @Test
    void aValidAuditEventOnTheQueueBecomesAnAuditRow(LocalStack stack) throws Exception {
        LocalStackExtension.requireFunction("audit-writer");
        String eventId = UUID.randomUUID().toString();
        AuditEvent event = new AuditEvent(AuditEvent.SCHEMA_VERSION, eventId, "lead", "lead-" + eventId, "update",
                AuditEvent.Actor.user("sqs-e2e"), Instant.parse("2031-02-03T04:05:06Z"),
                Json.MAPPER.readTree("{\"status\":\"new\"}"), Json.MAPPER.readTree("{\"status\":\"qualified\"}"),
                Map.of("status", new AuditEvent.Change(Json.MAPPER.readTree("\"new\""), Json.MAPPER.readTree("\"qualified\""))),
                "sqs-e2e-test", "req-" + eventId, "203.0.113.9", "e2e");

        stack.sqs().client().sendMessage(r -> r.queueUrl(stack.sqs().auditQueueUrl()).messageBody(Json.write(event)));

        await("the audit row of " + eventId).atMost(WAIT).until(() -> auditRows(stack, eventId) == 1);
    }

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueAfterFiveReceives(LocalStack stack) throws Exception {
        LocalStackExtension.requireFunction("audit-writer");
        LocalSqs sqs = stack.sqs();
        String poison = "not even JSON " + UUID.randomUUID();

        long failedBefore = stack.auditQueuePoller().orElseThrow().stats().failed();
        sqs.client().sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody(poison));

        await("the poison message in the DLQ").atMost(WAIT).until(() -> inDeadLetterQueue(sqs, poison).isPresent());
        Message dead = inDeadLetterQueue(sqs, poison).orElseThrow();
        assertThat(Integer.parseInt(dead.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                .as("receives: 5 on the audit queue, then ours on the DLQ").isGreaterThan(5);
        // Usually 5; fewer when a long poll cut off by an earlier SQS outage test received it once (see LocalSqs#stop).
        assertThat(stack.auditQueuePoller().orElseThrow().stats().failed() - failedBefore)
                .as("deliveries the audit-writer failed").isPositive();
        sqs.client().deleteMessage(r -> r.queueUrl(sqs.deadLetterQueueUrl()).receiptHandle(dead.receiptHandle()));
    }

    @Test
    void runScheduledJobsNowInvokesChannelRenewal(LocalStack stack) throws Exception {
        LocalStackExtension.requireFunction("channel-renewal");

        Map<String, String> outputs = stack.runScheduledJobsNow();

        assertThat(outputs).containsOnlyKeys("channel-renewal");
    }
}
