package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.postgres.EmailQuery;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The e-mail service on real PostgreSQL and ElasticMQ: each write and its audit event commit
 * together in the audit outbox, a write that changes nothing adds no event, a refused write
 * leaves the table and the outbox as they were. Most tests publish to an SQS that is down, so
 * the events stay in {@code audit_outbox} where the test reads them; one publishes for real.
 */
@Tag("integration")
class EmailServiceTest {
    @RegisterExtension
    static final OutboxTestEnvironment environment = new OutboxTestEnvironment();

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final Principal SALES_1 = new Principal("sales-1", "s1@example.com", Role.SALES);
    private static final Principal SALES_2 = new Principal("sales-2", "s2@example.com", Role.SALES);
    private static final Principal MANAGER = new Principal("manager-1", "m@example.com", Role.MANAGER);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-1", "203.0.113.9", "curl/8");

    private final TestClock clock = new TestClock(NOW);

    private EmailService service(Map<String, String> producerEnvironment) {
        SqsOutboxSender sender = SqsOutboxSender.fromEnv(new Env(producerEnvironment));
        return new EmailService(environment.dataSource(), new AuditOutbox(environment.dataSource(), sender, clock),
                clock);
    }

    private EmailService withSqsDown() {
        return service(environment.producerEnvironmentWithSqsDown());
    }

    private static NewEmail email(String messageId, EntityType type, String entityId) {
        return new NewEmail(messageId, "thread-1", EmailDirection.INBOUND, "ana@example.com",
                List.of("bo@example.com"), List.of("cy@example.com"), "Proposal", "Please find attached",
                Instant.parse("2026-03-01T14:00:00Z"), type, entityId);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** The audit events in the outbox about this e-mail, oldest first. */
    private static List<JsonNode> outboxEventsOf(String emailId) throws SQLException {
        List<JsonNode> events = new ArrayList<>();
        try (Connection c = environment.dataSource().getConnection();
             PreparedStatement query = c.prepareStatement(
                     "select payload::text from audit_outbox where payload->>'entity_id' = ? order by id")) {
            query.setString(1, emailId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    events.add(Json.MAPPER.readTree(rs.getString(1)));
                }
            }
        }
        return events;
    }

    @Test
    void loggingAnEmailStoresItAndItsCreateEventTogether() throws SQLException {
        EmailService service = withSqsDown();
        String deal = unique("d");

        EmailService.Logged logged = service.log(email(unique("<m"), EntityType.DEAL, deal), SALES_1, ORIGIN);

        assertThat(logged.created()).isTrue();
        CrmEmail stored = logged.email();
        assertThat(stored.loggedBy()).isEqualTo("sales-1");
        assertThat(stored.loggedAt()).isEqualTo(NOW);
        assertThat(service.list(new EmailQuery(EntityType.DEAL, deal, null, 10)).items()).containsExactly(stored);
        List<JsonNode> events = outboxEventsOf(stored.id());
        assertThat(events).hasSize(1);
        JsonNode event = events.getFirst();
        assertThat(event.get("entity_type").asString()).isEqualTo("email");
        assertThat(event.get("action").asString()).isEqualTo("create");
        assertThat(event.at("/actor/type").asString()).isEqualTo("user");
        assertThat(event.at("/actor/id").asString()).isEqualTo("sales-1");
        assertThat(event.get("source").asString()).isEqualTo("calendar");
        assertThat(event.get("occurred_at").asString()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(event.get("before").isNull()).isTrue();
        assertThat(event.at("/after/message_id").asString()).isEqualTo(stored.messageId());
        assertThat(event.at("/after/entity_id").asString()).isEqualTo(deal);
        assertThat(event.at("/after/to/0").asString()).isEqualTo("bo@example.com");
        assertThat(event.get("request_id").asString()).isEqualTo("req-1");
    }

    @Test
    void aReplayedLogAnswersTheStoredRowAndWritesNoAuditEvent() throws SQLException {
        EmailService service = withSqsDown();
        NewEmail email = email(unique("<m"), EntityType.LEAD, unique("l"));
        CrmEmail first = service.log(email, SALES_1, ORIGIN).email();
        clock.advance(java.time.Duration.ofMinutes(5));

        EmailService.Logged replay = service.log(email, SALES_2, ORIGIN);

        assertThat(replay).isEqualTo(new EmailService.Logged(first, false));
        assertThat(outboxEventsOf(first.id())).hasSize(1);
    }

    @Test
    void loggingAMessageAgainstAnotherEntityIsAConflictNamingWhereItIsLoggedAndWritesNothing() throws SQLException {
        EmailService service = withSqsDown();
        String messageId = unique("<m");
        String deal = unique("d");
        CrmEmail first = service.log(email(messageId, EntityType.DEAL, deal), SALES_1, ORIGIN).email();

        assertThatThrownBy(() -> service.log(email(messageId, EntityType.CONTACT, "c-1"), SALES_1, ORIGIN))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.details()).isEqualTo(Map.of("email_id", first.id(), "entity_type", "deal",
                            "entity_id", deal));
                });
        assertThat(service.list(new EmailQuery(EntityType.CONTACT, "c-1", null, 10)).items())
                .extracting(CrmEmail::messageId).doesNotContain(messageId);
        assertThat(outboxEventsOf(first.id())).hasSize(1);
    }

    @Test
    void theLoggerUnlinksSoftlyWithAnUnlinkEventAndASecondUnlinkChangesNothing() throws SQLException {
        EmailService service = withSqsDown();
        String deal = unique("d");
        CrmEmail logged = service.log(email(unique("<m"), EntityType.DEAL, deal), SALES_1, ORIGIN).email();
        clock.advance(java.time.Duration.ofMinutes(1));

        CrmEmail unlinked = service.unlink(logged.id(), SALES_1, ORIGIN);
        CrmEmail again = service.unlink(logged.id(), SALES_1, ORIGIN);

        assertThat(unlinked.unlinkedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(unlinked.unlinkedBy()).isEqualTo("sales-1");
        assertThat(again).isEqualTo(unlinked);
        assertThat(service.list(new EmailQuery(EntityType.DEAL, deal, null, 10)).items()).isEmpty();
        List<JsonNode> events = outboxEventsOf(logged.id());
        assertThat(events).extracting(event -> event.get("action").asString()).containsExactly("create", "unlink");
        JsonNode unlink = events.get(1);
        assertThat(unlink.at("/before/unlinked_at").isNull()).isTrue();
        assertThat(unlink.at("/after/unlinked_by").asString()).isEqualTo("sales-1");
        assertThat(unlink.get("changes").propertyNames()).containsExactlyInAnyOrder("unlinked_at", "unlinked_by");
    }

    @Test
    void anotherSalesUserMayNotUnlinkButAManagerMay() throws SQLException {
        EmailService service = withSqsDown();
        CrmEmail logged = service.log(email(unique("<m"), EntityType.DEAL, unique("d")), SALES_1, ORIGIN).email();

        assertThatThrownBy(() -> service.unlink(logged.id(), SALES_2, ORIGIN)).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(outboxEventsOf(logged.id())).hasSize(1);

        assertThat(service.unlink(logged.id(), MANAGER, ORIGIN).unlinkedBy()).isEqualTo("manager-1");
        assertThat(outboxEventsOf(logged.id())).hasSize(2);
    }

    @Test
    void unlinkingAnUnknownEmailIsNotFound() {
        EmailService service = withSqsDown();

        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
            assertThatThrownBy(() -> service.unlink(id, MANAGER, ORIGIN)).isInstanceOfSatisfying(
                    ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    @Test
    void anUnlinkedMessageLoggedAgainIsCreatedAgainWithACreateEventWhoseBeforeIsTheUnlinkedRow() throws SQLException {
        EmailService service = withSqsDown();
        String messageId = unique("<m");
        CrmEmail first = service.log(email(messageId, EntityType.DEAL, unique("d")), SALES_1, ORIGIN).email();
        service.unlink(first.id(), SALES_1, ORIGIN);
        String lead = unique("l");

        EmailService.Logged relogged = service.log(email(messageId, EntityType.LEAD, lead), SALES_2, ORIGIN);

        assertThat(relogged.created()).isTrue();
        assertThat(relogged.email().id()).isEqualTo(first.id());
        assertThat(relogged.email().entityId()).isEqualTo(lead);
        assertThat(relogged.email().loggedBy()).isEqualTo("sales-2");
        assertThat(relogged.email().isUnlinked()).isFalse();
        List<JsonNode> events = outboxEventsOf(first.id());
        assertThat(events).extracting(event -> event.get("action").asString())
                .containsExactly("create", "unlink", "create");
        assertThat(events.get(2).at("/before/unlinked_by").asString()).isEqualTo("sales-1");
        assertThat(events.get(2).at("/after/entity_id").asString()).isEqualTo(lead);
    }

    @Test
    void theEventsReachTheAuditQueueOnceEach() {
        EmailService service = service(environment.producerEnvironment());
        NewEmail email = email(unique("<m"), EntityType.CONTACT, unique("c"));
        CrmEmail logged = service.log(email, SALES_1, ORIGIN).email();
        service.log(email, SALES_1, ORIGIN);
        service.unlink(logged.id(), SALES_1, ORIGIN);

        assertThat(PublishedAudit.actionsOf(environment, logged.id())).containsExactly("create", "unlink");
    }
}
