package dev.pipedesk.auditwriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.lambda.QueuedMessage;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit-writer driven exactly as Lambda does (FunctionInvoker with SQS event JSON: the
 * record of {@code events/sqs-event.json} for each message), writing to a real PostgreSQL as
 * the pipedesk_audit_writer role.
 */
@Tag("integration")
class AuditWriterFunctionTest {
    private static final String WRITER_PASSWORD = "writer-secret";
    private static final AtomicInteger MESSAGES_SENT = new AtomicInteger();

    private static TestDatabase database;
    private static LambdaFunctionHarness function;

    @BeforeAll
    static void start() {
        database = TestDatabase.start();
        database.execute("alter role pipedesk_audit_writer login password '" + WRITER_PASSWORD + "'");
        function = LambdaFunctionHarness.start(AuditWriterApplication.class,
                database.env("pipedesk_audit_writer", WRITER_PASSWORD));
    }

    @AfterAll
    static void stop() {
        function.close();
        database.close();
    }

    private static AuditEvent event(String entityId) {
        JsonNode before = Json.MAPPER.readTree("{\"id\":\"" + entityId + "\",\"status\":\"new\",\"value\":1500.5}");
        JsonNode after = Json.MAPPER.readTree("{\"id\":\"" + entityId + "\",\"status\":\"won\",\"value\":2000}");
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "deal", entityId, "status_change",
                AuditEvent.Actor.user("user-7"), Instant.parse("2026-03-01T10:15:30.123Z"), before, after,
                Map.of("status", new AuditEvent.Change(Json.MAPPER.readTree("\"new\""), Json.MAPPER.readTree("\"won\"")),
                        "value", new AuditEvent.Change(Json.MAPPER.readTree("1500.5"), Json.MAPPER.readTree("2000"))),
                "crm-web", "req-1", "203.0.113.7", "Mozilla/5.0");
    }

    private static QueuedMessage message(String body) {
        return new QueuedMessage("message-" + MESSAGES_SENT.incrementAndGet(), body);
    }

    private static QueuedMessage messageOf(AuditEvent event) {
        return message(Json.write(event));
    }

    /** The SQS event Lambda's event source mapping delivers with these messages. */
    private static String sqsEvent(List<QueuedMessage> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(message -> {
            SQSEvent.SQSMessage record = EventLoader.loadSQSEvent("events/sqs-event.json").getRecords().getFirst();
            record.setMessageId(message.messageId());
            record.setReceiptHandle("AQEB-" + message.messageId());
            record.setBody(message.body());
            return record;
        }).toList());
        return LambdaEventJson.write(event);
    }

    /** Invokes the function; returns the failed message ids, checking the response's shape. */
    private static List<String> invoke(List<QueuedMessage> messages) {
        JsonNode response = Json.MAPPER.readTree(function.invoke(sqsEvent(messages)));
        assertThat(response.propertyNames()).containsExactly("batchItemFailures");
        List<String> failed = new ArrayList<>();
        for (JsonNode failure : response.get("batchItemFailures")) {
            assertThat(failure.propertyNames()).containsExactly("itemIdentifier");
            failed.add(failure.get("itemIdentifier").asString());
        }
        return failed;
    }

    private static long rowsFor(String entityId) {
        return database.count("select count(*) from audit_logs where entity_id = '" + entityId + "'");
    }

    @Test
    void eachInvocationWritesOneMetricsDocumentWithTheEventsWrittenAndRejected() {
        List<QueuedMessage> batch = List.of(messageOf(event("deal-metrics-1")), message("{\"not\":\"an audit event\"}"),
                messageOf(event("deal-metrics-2")));
        java.io.PrintStream console = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            function.invoke(sqsEvent(batch));
        } finally {
            System.setOut(console);
        }

        List<String> documents = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("{\"_aws\"")).toList();
        assertThat(documents).singleElement().satisfies(line -> {
            JsonNode document = Json.MAPPER.readTree(line);
            assertThat(document.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asString())
                    .isEqualTo("PipeDesk");
            assertThat(document.path("Stage").asString()).isEqualTo("local");
            assertThat(document.path("AuditEventsWritten").asLong()).isEqualTo(2);
            assertThat(document.path("AuditEventsRejected").asLong()).isEqualTo(1);
            assertThat(document.path("function").asString()).isEqualTo("pipedesk-test");
            assertThat(document.path("requestId").asString()).isNotBlank();
        });
    }

    @Test
    void writesAWholeBatchOfTenAndReportsNoFailure() throws SQLException {
        String entityId = "deal-" + UUID.randomUUID();
        List<AuditEvent> events = IntStream.range(0, 10).mapToObj(i -> event(entityId)).toList();

        String rawResponse = function.invoke(sqsEvent(events.stream().map(AuditWriterFunctionTest::messageOf).toList()));

        assertThat(Json.MAPPER.readTree(rawResponse)).isEqualTo(Json.MAPPER.readTree("{\"batchItemFailures\":[]}"));
        assertThat(rowsFor(entityId)).isEqualTo(10);
        AuditEvent first = events.getFirst();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select * from audit_logs where event_id = '" + first.eventId() + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt("schema_version")).isEqualTo(1);
            assertThat(row.getString("entity_type")).isEqualTo("deal");
            assertThat(row.getString("entity_id")).isEqualTo(entityId);
            assertThat(row.getString("action")).isEqualTo("status_change");
            assertThat(row.getString("actor_type")).isEqualTo("user");
            assertThat(row.getString("actor_id")).isEqualTo("user-7");
            assertThat(row.getObject("occurred_at", OffsetDateTime.class).toInstant()).isEqualTo(first.occurredAt());
            assertThat(row.getObject("recorded_at", OffsetDateTime.class)).isNotNull();
            assertThat(Json.MAPPER.readTree(row.getString("before"))).isEqualTo(first.before());
            assertThat(Json.MAPPER.readTree(row.getString("after"))).isEqualTo(first.after());
            JsonNode changes = Json.MAPPER.readTree(row.getString("changes"));
            assertThat(changes.get("value").get("old").isNumber()).isTrue();
            assertThat(changes.get("value").get("new").asInt()).isEqualTo(2000);
            assertThat(changes.get("status").get("new").asString()).isEqualTo("won");
            assertThat(row.getString("source")).isEqualTo("crm-web");
            assertThat(row.getString("request_id")).isEqualTo("req-1");
            assertThat(row.getString("ip")).isEqualTo("203.0.113.7");
            assertThat(row.getString("user_agent")).isEqualTo("Mozilla/5.0");
        }
    }

    @Test
    void storesNullOptionalFieldsAsSqlNull() {
        String entityId = "lead-" + UUID.randomUUID();
        AuditEvent create = new AuditEvent(1, UUID.randomUUID().toString(), "lead", entityId, "create",
                AuditEvent.Actor.system("import"), Instant.parse("2026-03-01T10:00:00Z"), null,
                Json.MAPPER.readTree("{\"name\":\"Ada\"}"), null, "database", null, null, null);

        assertThat(invoke(List.of(messageOf(create)))).isEmpty();

        assertThat(database.count("select count(*) from audit_logs where entity_id = '" + entityId + "'"
                + " and before is null and changes is null and request_id is null and ip is null and user_agent is null"
                + " and actor_type = 'system' and actor_id = 'system:import'")).isEqualTo(1);
    }

    @Test
    void theSameMessageDeliveredTwiceIsStoredOnce() {
        String entityId = "deal-" + UUID.randomUUID();
        QueuedMessage message = messageOf(event(entityId));
        QueuedMessage redelivered = message(message.body());

        assertThat(invoke(List.of(message))).isEmpty();
        assertThat(invoke(List.of(redelivered))).isEmpty();
        assertThat(invoke(List.of(message, redelivered))).isEmpty();

        assertThat(rowsFor(entityId)).isEqualTo(1);
    }

    @Test
    void aPoisonMessageAmongValidOnesIsTheOnlyFailureAndIsLoggedWithoutItsContent() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger writerLog = Logger.getLogger(AuditLogWriter.class.getName());
        writerLog.addHandler(capture);
        try {
            String entityId = "deal-" + UUID.randomUUID();
            ObjectNode breaksContract = (ObjectNode) Json.MAPPER.valueToTree(event(entityId));
            breaksContract.put("occurred_at", "secret-customer-note");
            QueuedMessage notJson = message("{\"event_id\": secret-customer-note");
            QueuedMessage invalid = message(Json.write(breaksContract));
            List<QueuedMessage> batch = List.of(messageOf(event(entityId)), notJson, messageOf(event(entityId)), invalid);

            assertThat(invoke(batch)).containsExactlyInAnyOrder(notJson.messageId(), invalid.messageId());

            assertThat(rowsFor(entityId)).isEqualTo(2);
            assertThat(logged).filteredOn(line -> line.startsWith("audit-writer rejected")).hasSize(2)
                    .anySatisfy(line -> assertThat(line).contains("messageId=" + notJson.messageId()).contains("not valid JSON"))
                    .anySatisfy(line -> assertThat(line).contains("messageId=" + invalid.messageId()).contains("occurred_at"));
            assertThat(logged).noneMatch(line -> line.contains("secret-customer-note"));
        } finally {
            writerLog.removeHandler(capture);
        }
    }

    @Test
    void logsAnAllWrittenBatchAtFineAndABatchWithADuplicateOrAFailureAtInfo() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().startsWith("audit-writer batch:")) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger writerLog = Logger.getLogger(AuditLogWriter.class.getName());
        java.util.logging.Level level = writerLog.getLevel();
        writerLog.setLevel(java.util.logging.Level.FINE);
        writerLog.addHandler(capture);
        try {
            String entityId = "deal-" + UUID.randomUUID();
            QueuedMessage first = messageOf(event(entityId));
            QueuedMessage second = messageOf(event(entityId));

            assertThat(invoke(List.of(first, second))).isEmpty();
            assertThat(invoke(List.of(message(first.body())))).isEmpty();
            QueuedMessage notJson = message("{");
            assertThat(invoke(List.of(messageOf(event(entityId)), notJson))).containsExactly(notJson.messageId());

            assertThat(logged).extracting(LogRecord::getLevel, LogRecord::getMessage).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(java.util.logging.Level.FINE,
                            "audit-writer batch: received=2 written=2 duplicates=0 failed=0"),
                    org.assertj.core.groups.Tuple.tuple(java.util.logging.Level.INFO,
                            "audit-writer batch: received=1 written=0 duplicates=1 failed=0"),
                    org.assertj.core.groups.Tuple.tuple(java.util.logging.Level.INFO,
                            "audit-writer batch: received=2 written=1 duplicates=0 failed=1"));
        } finally {
            writerLog.removeHandler(capture);
            writerLog.setLevel(level);
        }
    }

    @Test
    void anEventTheDatabaseRefusesFailsAloneAndTheOthersAreWritten() {
        String entityId = "deal-" + UUID.randomUUID();
        // Valid JSON and valid per the contract, but PostgreSQL's jsonb cannot hold \u0000.
        ObjectNode refused = (ObjectNode) Json.MAPPER.valueToTree(event(entityId));
        ((ObjectNode) refused.get("after")).put("notes", "before\u0000after");
        QueuedMessage refusedMessage = message(Json.write(refused));

        List<String> failed = invoke(List.of(messageOf(event(entityId)), refusedMessage, messageOf(event(entityId))));

        assertThat(failed).containsExactly(refusedMessage.messageId());
        assertThat(rowsFor(entityId)).isEqualTo(2);
    }

    @Test
    void whenTheDatabaseFailsEveryMessageOfTheBatchIsReportedFailed() {
        String entityId = "deal-" + UUID.randomUUID();
        List<QueuedMessage> batch = List.of(messageOf(event(entityId)), messageOf(event(entityId)),
                message("not json"));
        database.execute("revoke insert on audit_logs from pipedesk_audit_writer");
        try {
            assertThat(invoke(batch)).containsExactlyInAnyOrderElementsOf(batch.stream().map(QueuedMessage::messageId).toList());
        } finally {
            database.execute("grant insert on audit_logs to pipedesk_audit_writer");
        }
        assertThat(rowsFor(entityId)).isZero();

        assertThat(invoke(batch.subList(0, 2))).isEmpty();
        assertThat(rowsFor(entityId)).isEqualTo(2);
    }

    /** Lambda's batch sizes for a standard queue go up to 10,000 (with a batching window). */
    @ParameterizedTest(name = "batch of {0}")
    @ValueSource(ints = {1, 10, 100, 10_000})
    void storesEveryEventOfABatchOnceAndARedeliveredBatchStoresNothingNew(int size) {
        String entityId = "deal-" + UUID.randomUUID();
        List<QueuedMessage> batch = IntStream.range(0, size).mapToObj(i -> messageOf(event(entityId))).toList();

        assertThat(invoke(batch)).isEmpty();
        assertThat(rowsFor(entityId)).isEqualTo(size);
        assertThat(database.count("select count(distinct event_id) from audit_logs where entity_id = '" + entityId + "'"))
                .isEqualTo(size);

        List<QueuedMessage> redelivered = batch.stream().map(message -> message(message.body())).toList();
        assertThat(invoke(redelivered)).isEmpty();
        assertThat(rowsFor(entityId)).isEqualTo(size);
    }

    @Test
    void oneEventBreakingTheContractInABatchOfTenThousandFailsOnlyItself() {
        String entityId = "deal-" + UUID.randomUUID();
        List<QueuedMessage> batch = new ArrayList<>(IntStream.range(0, 10_000).mapToObj(i -> messageOf(event(entityId))).toList());
        ObjectNode breaksContract = (ObjectNode) Json.MAPPER.valueToTree(event(entityId));
        breaksContract.put("occurred_at", "yesterday");
        QueuedMessage invalid = message(Json.write(breaksContract));
        batch.set(6_543, invalid);

        assertThat(invoke(batch)).containsExactly(invalid.messageId());

        assertThat(rowsFor(entityId)).isEqualTo(9_999);
    }

    @Test
    void oneEventTheDatabaseRefusesInABatchOfTenThousandFailsOnlyItself() {
        String entityId = "deal-" + UUID.randomUUID();
        List<QueuedMessage> batch = new ArrayList<>(IntStream.range(0, 10_000).mapToObj(i -> messageOf(event(entityId))).toList());
        ObjectNode refused = (ObjectNode) Json.MAPPER.valueToTree(event(entityId));
        ((ObjectNode) refused.get("after")).put("notes", "before\u0000after");
        QueuedMessage refusedMessage = message(Json.write(refused));
        batch.set(8_765, refusedMessage);  // in the second of the three statements

        assertThat(invoke(batch)).containsExactly(refusedMessage.messageId());

        assertThat(rowsFor(entityId)).isEqualTo(9_999);
    }

    @Test
    void anEmptyBatchIsFine() {
        assertThat(invoke(List.of())).isEmpty();
    }

    @Test
    void anEventThatIsNotAnSqsEventFailsTheInvocation() {
        assertThatThrownBy(() -> function.invoke("[1, 2, 3]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void auditLogsRefusesUpdateDeleteAndTruncateEvenForTheOwner() {
        String entityId = "deal-" + UUID.randomUUID();
        assertThat(invoke(List.of(messageOf(event(entityId))))).isEmpty();

        assertThatThrownBy(() -> database.execute("update audit_logs set action = 'delete' where entity_id = '" + entityId + "'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.execute("delete from audit_logs where entity_id = '" + entityId + "'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> database.execute("truncate audit_logs")).hasMessageContaining("append-only");
        assertThat(rowsFor(entityId)).isEqualTo(1);
    }

    /** V2 grants INSERT; V4 adds SELECT on event_id alone, which ON CONFLICT (event_id) needs. */
    @Test
    void theWriterRoleMayInsertButNotReadUpdateOrDelete() throws SQLException {
        String url = database.env("pipedesk_audit_writer", WRITER_PASSWORD).get("DATABASE_URL");
        String eventId = UUID.randomUUID().toString();
        try (Connection writer = DriverManager.getConnection(url, "pipedesk_audit_writer", WRITER_PASSWORD);
             Statement statement = writer.createStatement()) {
            assertThat(statement.executeUpdate("insert into audit_logs (event_id, schema_version, entity_type, entity_id,"
                    + " action, actor_type, actor_id, occurred_at, source) values ('" + eventId + "', 1, 'lead', 'l-1',"
                    + " 'create', 'user', 'u-1', now(), 'test')")).isEqualTo(1);

            for (String forbidden : List.of(
                    "select * from audit_logs",
                    "select actor_id, after from audit_logs",
                    "truncate audit_logs",
                    "update audit_logs set action = 'x'",
                    "delete from audit_logs",
                    "select * from audit_outbox")) {
                assertThatThrownBy(() -> statement.execute(forbidden))
                        .as(forbidden)
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
        }
        assertThat(database.count("select count(*) from audit_logs where event_id = '" + eventId + "'")).isEqualTo(1);
    }
}
