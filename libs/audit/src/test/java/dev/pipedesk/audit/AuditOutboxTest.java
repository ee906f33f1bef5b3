package dev.pipedesk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;

/** The producer side against real PostgreSQL (embedded) and a real SQS (ElasticMQ). */
@Tag("integration")
class AuditOutboxTest {
    @RegisterExtension
    static final OutboxTestEnvironment environment = new OutboxTestEnvironment();

    private TestClock clock;

    @BeforeEach
    void freshClock() {
        clock = new TestClock(Instant.now());
    }

    private AuditOutbox outbox() {
        return new AuditOutbox(environment.dataSource(), sender(), clock);
    }

    private AuditOutbox outboxWithSqsDown() {
        return new AuditOutbox(environment.dataSource(),
                SqsOutboxSender.fromEnv(new Env(environment.producerEnvironmentWithSqsDown())), clock);
    }

    private static SqsOutboxSender sender() {
        return SqsOutboxSender.fromEnv(new Env(environment.producerEnvironment()));
    }

    private List<AuditEvent> appendCommitted(int count) {
        return AuditEvents.appendCommitted(environment.dataSource(), count);
    }

    /** A minimal event of user-1 on lead-1 with {@code action} and {@code after}. */
    private static AuditEvent userEvent(String action, JsonNode after) {
        return new AuditEvent(1, UUID.randomUUID().toString(), "lead", "lead-1", action, AuditEvent.Actor.user("user-1"),
                Instant.parse("2026-03-01T10:00:00Z"), null, after, null, "crm", null, null, null);
    }

    private static void assertAppendRefuses(AuditEvent event, String messagePart) {
        assertThatThrownBy(() -> Transactions.inTransaction(environment.dataSource(), connection -> {
            AuditOutbox.append(connection, event);
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(messagePart);
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::eventId).toList();
    }

    @Test
    void appendWritesTheEventInTheCallersTransaction() {
        AuditEvent kept = AuditEvents.leadStatusChange("lead-kept");
        AuditEvent rolledBack = AuditEvents.leadStatusChange("lead-rolled-back");

        Transactions.inTransaction(environment.dataSource(), connection -> {
            AuditOutbox.append(connection, kept);
            return null;
        });
        assertThatThrownBy(() -> Transactions.inTransaction(environment.dataSource(), connection -> {
            AuditOutbox.append(connection, rolledBack);
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");

        assertThat(OutboxRows.read(environment.dataSource()).eventIds()).containsExactly(kept.eventId());
    }

    @Test
    void appendStoresTheContractJson() {
        AuditEvent event = appendCommitted(1).getFirst();

        JsonNode stored = Json.MAPPER.readTree(payloadOf(event.eventId()));
        assertThat(stored).isEqualTo(Json.MAPPER.valueToTree(event));
        assertThat(stored.get("occurred_at").asString()).isEqualTo("2026-03-01T10:15:30.123Z");
    }

    @Test
    void appendRefusesAnEventThatBreaksTheContractAndNothingIsCommitted() {
        assertAppendRefuses(userEvent("Status Change!", null), "action");

        assertThat(OutboxRows.read(environment.dataSource()).rows()).isEmpty();
    }

    @Test
    void appendRefusesAnEventLargerThanAnSqsMessage() {
        JsonNode huge = Json.MAPPER.valueToTree(java.util.Map.of("notes", "x".repeat(AuditOutbox.MAX_EVENT_BYTES)));

        assertAppendRefuses(userEvent("create", huge), "bytes");
    }

    @Test
    void publishSendsTheEventsAndDeletesTheirRows() {
        List<AuditEvent> events = appendCommitted(3);

        outbox().publish(ids(events));

        List<Message> received = environment.receiveAll();
        assertThat(received).extracting(m -> Json.MAPPER.readTree(m.body()))
                .containsExactlyInAnyOrderElementsOf(events.stream().map(e -> (JsonNode) Json.MAPPER.valueToTree(e)).toList());
        assertThat(OutboxRows.read(environment.dataSource()).rows()).isEmpty();
    }

    @Test
    void publishInBackgroundSendsTheEventsAndDeletesTheirRowsWithoutTheCallerWaiting() throws Exception {
        List<AuditEvent> events = appendCommitted(2);

        outbox().publishInBackground(ids(events)).get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(environment.receiveAll()).extracting(m -> Json.MAPPER.readTree(m.body()).get("event_id").asString())
                .containsExactlyInAnyOrderElementsOf(ids(events));
        assertThat(OutboxRows.read(environment.dataSource()).rows()).isEmpty();
    }

    @Test
    void publishInBackgroundWhileSqsIsUnreachableLeavesTheRowsForTheRelay() throws Exception {
        List<AuditEvent> events = appendCommitted(1);

        outboxWithSqsDown().publishInBackground(ids(events)).get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(OutboxRows.read(environment.dataSource()).rows()).singleElement()
                .satisfies(row -> assertThat(row.attempts()).isEqualTo(1));
    }

    @Test
    void publishSkipsRowsARelayIsSendingAtThatMoment() {
        List<AuditEvent> events = appendCommitted(2);

        Transactions.inTransaction(environment.dataSource(), relay -> {
            try (var lock = relay.prepareStatement("select id from audit_outbox where event_id = ?::uuid for update")) {
                lock.setString(1, events.get(0).eventId());
                lock.executeQuery().close();
            }
            outbox().publish(ids(events));
            return null;
        });

        assertThat(environment.receiveAll()).singleElement()
                .satisfies(m -> assertThat(m.body()).contains(events.get(1).eventId()));
        assertThat(OutboxRows.read(environment.dataSource()).eventIds()).containsExactly(events.get(0).eventId());
    }

    @Test
    void publishSendsMoreThanTenEventsInSeveralBatches() {
        List<AuditEvent> events = appendCommitted(23);

        outbox().publish(ids(events));

        assertThat(environment.receiveAll()).extracting(m -> Json.MAPPER.readTree(m.body()).get("event_id").asString())
                .containsExactlyInAnyOrderElementsOf(ids(events));
        assertThat(OutboxRows.read(environment.dataSource()).rows()).isEmpty();
    }

    @Test
    void publishOnlySendsTheGivenEvents() {
        List<AuditEvent> events = appendCommitted(3);

        outbox().publish(List.of(events.get(1).eventId()));

        assertThat(environment.receiveAll()).singleElement()
                .satisfies(m -> assertThat(m.body()).contains(events.get(1).eventId()));
        assertThat(OutboxRows.read(environment.dataSource()).eventIds())
                .containsExactly(events.get(0).eventId(), events.get(2).eventId());
    }

    @Test
    void publishWhileSqsIsUnreachableKeepsTheRowsBackedOffWithTheError() {
        List<AuditEvent> events = appendCommitted(2);

        outboxWithSqsDown().publish(ids(events));

        assertThat(OutboxRows.read(environment.dataSource()).rows()).hasSize(2).allSatisfy(row -> {
            assertThat(row.attempts()).isEqualTo(1);
            assertThat(row.nextAttemptAt()).isEqualTo(OutboxDelivery.databaseTime(clock).plus(OutboxDelivery.FIRST_RETRY));
            assertThat(row.lastError()).contains("SdkClientException");
        });
        assertThat(environment.receiveAll()).isEmpty();
    }

    @Test
    void publishNeverThrowsAndIgnoresIdsThatAreNotUuids() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        AuditOutbox outboxWithoutDatabase = new AuditOutbox(nowhere,
                sender(), clock);

        outboxWithoutDatabase.publish(List.of(UUID.randomUUID().toString()));
        outbox().publish(List.of("not-a-uuid"));
        outbox().publish(List.of());

        assertThatThrownBy(() -> Transactions.inTransaction(nowhere, c -> null)).isInstanceOf(DatabaseException.class);
        assertThat(environment.receiveAll()).isEmpty();
    }

    private static String payloadOf(String eventId) {
        return Transactions.inTransaction(environment.dataSource(), connection -> {
            try (var query = connection.prepareStatement("select payload::text from audit_outbox where event_id = ?::uuid")) {
                query.setString(1, eventId);
                try (var rs = query.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
