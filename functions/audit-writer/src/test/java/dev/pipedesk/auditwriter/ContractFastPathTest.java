package dev.pipedesk.auditwriter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.postgres.NewAuditLogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fast path never accepts what the contract's JSON Schema refuses, accepts the events the
 * producers send, and builds the same row as the schema path.
 */
class ContractFastPathTest {
    private static final AuditEventValidator SCHEMA = AuditEventValidator.load();

    /** Events as PipeDesk's producers write them: every actor kind, optional fields set and null. */
    private static List<String> validEvents() {
        return List.of(
                """
                {"schema_version":1,"event_id":"0b6f3c1e-8a4d-4c2e-9f1a-2b3c4d5e6f70","entity_type":"deal","entity_id":"deal-1",\
                "action":"status_change","actor":{"type":"user","id":"user-7"},"occurred_at":"2026-03-01T10:15:30.123Z",\
                "before":{"id":"deal-1","status":"new","value":1500.5,"tags":["a","b"],"nested":{"x":null}},\
                "after":{"id":"deal-1","status":"won","value":2000},\
                "changes":{"status":{"old":"new","new":"won"},"value":{"old":1500.5,"new":2000}},\
                "source":"crm-web","request_id":"req-1","ip":"203.0.113.7","user_agent":"Mozilla/5.0"}""",
                """
                {"schema_version":1,"event_id":"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f","entity_type":"calendar_event",\
                "entity_id":"evt-9","action":"sync_update","actor":{"type":"system","id":"system:google-sync"},\
                "occurred_at":"2026-06-02T15:00:00-03:00","before":null,"after":{"summary":"Café \\u00e9 \\"quoted\\""},\
                "changes":null,"source":"webhook","request_id":null,"ip":null,"user_agent":null}""",
                """
                {"schema_version":1,"event_id":"2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f60","entity_type":"lead","entity_id":"l",\
                "action":"delete","actor":{"type":"user","id":"u"},"occurred_at":"2026-12-31T23:59:59+14:00",\
                "before":{},"source":"database"}""",
                """
                { "source" : "channel_renewal", "occurred_at" : "2026-01-01T00:00:00.123456789Z",
                  "actor" : { "id" : "system:relay", "type" : "system" }, "action" : "future_action",
                  "entity_id" : "x", "entity_type" : "contact", "event_id" : "3e4f5a6b-7c8d-4e9f-0a1b-2c3d4e5f6071",
                  "schema_version" : 1, "changes" : { "a" : { "new" : [1, {"b": 2}], "old" : null } } }""");
    }

    /** Ways to break (or bend) an event, each applied to every valid one. */
    private static Map<String, Consumer<ObjectNode>> mutations() {
        Map<String, Consumer<ObjectNode>> m = new java.util.LinkedHashMap<>();
        for (String required : List.of("schema_version", "event_id", "entity_type", "entity_id", "action", "actor",
                "occurred_at", "source")) {
            m.put("without " + required, e -> e.remove(required));
        }
        for (String field : List.of("schema_version", "event_id", "entity_type", "entity_id", "action", "actor", "occurred_at",
                "before", "after", "changes", "source", "request_id", "ip", "user_agent")) {
            m.put(field + " = 7", e -> e.put(field, 7));
            m.put(field + " = true", e -> e.put(field, true));
            m.put(field + " = []", e -> e.putArray(field));
            m.put(field + " = {}", e -> e.putObject(field));
            m.put(field + " = null", e -> e.putNull(field));
            m.put(field + " = \"\"", e -> e.put(field, ""));
        }
        m.put("schema_version 2", e -> e.put("schema_version", 2));
        m.put("schema_version 1.0", e -> e.put("schema_version", 1.0));
        m.put("schema_version \"1\"", e -> e.put("schema_version", "1"));
        m.put("event_id upper case", e -> e.put("event_id", e.get("event_id").asString().toUpperCase()));
        m.put("event_id not a uuid", e -> e.put("event_id", "not-a-uuid-0000-0000-000000000000"));
        m.put("event_id too short", e -> e.put("event_id", "0b6f3c1e-8a4d-4c2e-9f1a-2b3c4d5e6f7"));
        m.put("occurred_at without offset", e -> e.put("occurred_at", "2026-03-01T10:15:30"));
        m.put("occurred_at lower-case t", e -> e.put("occurred_at", "2026-03-01t10:15:30Z"));
        m.put("occurred_at 30 February", e -> e.put("occurred_at", "2026-02-30T10:15:30Z"));
        m.put("occurred_at leap second", e -> e.put("occurred_at", "2026-06-30T23:59:60Z"));
        m.put("occurred_at ten fraction digits", e -> e.put("occurred_at", "2026-03-01T10:15:30.1234567891Z"));
        m.put("occurred_at date only", e -> e.put("occurred_at", "2026-03-01"));
        m.put("occurred_at offset without colon", e -> e.put("occurred_at", "2026-03-01T10:15:30+0300"));
        m.put("occurred_at hour 24", e -> e.put("occurred_at", "2026-03-01T24:00:00Z"));
        m.put("occurred_at 29 February of a leap year", e -> e.put("occurred_at", "2028-02-29T10:15:30Z"));
        m.put("occurred_at 29 February of 2026", e -> e.put("occurred_at", "2026-02-29T10:15:30Z"));
        m.put("occurred_at 29 February 2100", e -> e.put("occurred_at", "2100-02-29T10:15:30Z"));
        m.put("occurred_at 31 April", e -> e.put("occurred_at", "2026-04-31T10:15:30Z"));
        m.put("occurred_at month 13", e -> e.put("occurred_at", "2026-13-01T10:15:30Z"));
        m.put("occurred_at minute 60", e -> e.put("occurred_at", "2026-03-01T10:60:30Z"));
        m.put("occurred_at year 0", e -> e.put("occurred_at", "0000-03-01T10:15:30Z"));
        m.put("occurred_at unknown offset", e -> e.put("occurred_at", "2026-03-01T10:15:30-00:00"));
        m.put("occurred_at offset +14:00", e -> e.put("occurred_at", "2026-03-01T10:15:30+14:00"));
        m.put("occurred_at offset +14:30", e -> e.put("occurred_at", "2026-03-01T10:15:30+14:30"));
        m.put("occurred_at offset +24:00", e -> e.put("occurred_at", "2026-03-01T10:15:30+24:00"));
        m.put("occurred_at offset minutes 60", e -> e.put("occurred_at", "2026-03-01T10:15:30+01:60"));
        m.put("occurred_at lower-case z", e -> e.put("occurred_at", "2026-03-01T10:15:30z"));
        m.put("occurred_at empty fraction", e -> e.put("occurred_at", "2026-03-01T10:15:30.Z"));
        m.put("occurred_at secret", e -> e.put("occurred_at", "secret-customer-note"));
        m.put("entity_type upper case", e -> e.put("entity_type", "Deal"));
        m.put("entity_type with dash", e -> e.put("entity_type", "calendar-event"));
        m.put("entity_type 64 chars", e -> e.put("entity_type", "a".repeat(64)));
        m.put("entity_type trailing newline", e -> e.put("entity_type", "deal\n"));
        m.put("entity_id 256 chars", e -> e.put("entity_id", "x".repeat(256)));
        m.put("entity_id 255 chars", e -> e.put("entity_id", "x".repeat(255)));
        m.put("entity_id 200 emoji", e -> e.put("entity_id", "😀".repeat(200)));
        m.put("action upper case", e -> e.put("action", "Create"));
        m.put("action one letter", e -> e.put("action", "x"));
        m.put("action 42 chars", e -> e.put("action", "a".repeat(42)));
        m.put("action with digit", e -> e.put("action", "update2"));
        m.put("source with dash", e -> e.put("source", "crm-web"));
        m.put("source upper case", e -> e.put("source", "CRM"));
        m.put("actor system without job", e -> e.putObject("actor").put("type", "system").put("id", "system:"));
        m.put("actor system with space", e -> e.putObject("actor").put("type", "system").put("id", "system:a b"));
        m.put("actor system not prefixed", e -> e.putObject("actor").put("type", "system").put("id", "relay"));
        m.put("actor user posing as system", e -> e.putObject("actor").put("type", "user").put("id", "system:relay"));
        m.put("actor robot", e -> e.putObject("actor").put("type", "robot").put("id", "r-1"));
        m.put("actor extra key", e -> e.putObject("actor").put("type", "user").put("id", "u").put("name", "n"));
        m.put("actor without id", e -> e.putObject("actor").put("type", "user"));
        m.put("actor empty id", e -> e.putObject("actor").put("type", "user").put("id", ""));
        m.put("actor id 256 chars", e -> e.putObject("actor").put("type", "user").put("id", "u".repeat(256)));
        m.put("changes entry without old", e -> e.putObject("changes").putObject("f").put("new", 1));
        m.put("changes entry extra key", e -> e.putObject("changes").putObject("f").put("old", 1).put("new", 2).put("x", 3));
        m.put("changes entry not an object", e -> e.putObject("changes").put("f", 1));
        m.put("changes empty field name", e -> e.putObject("changes").putObject("").put("old", 1).put("new", 2));
        m.put("changes field name 129 chars", e -> e.putObject("changes").putObject("f".repeat(129)).put("old", 1).put("new", 2));
        m.put("changes field name 128 chars", e -> e.putObject("changes").putObject("f".repeat(128)).put("old", 1).put("new", 2));
        m.put("ip v6", e -> e.put("ip", "2001:db8::1"));
        m.put("ip leading zero", e -> e.put("ip", "01.2.3.4"));
        m.put("ip 256", e -> e.put("ip", "256.1.1.1"));
        m.put("ip three parts", e -> e.put("ip", "1.2.3"));
        m.put("ip 0.0.0.0", e -> e.put("ip", "0.0.0.0"));
        m.put("ip 255.255.255.255", e -> e.put("ip", "255.255.255.255"));
        m.put("ip five parts", e -> e.put("ip", "1.2.3.4.5"));
        m.put("ip trailing dot", e -> e.put("ip", "1.2.3.4."));
        m.put("ip four digits", e -> e.put("ip", "1.2.3.1000"));
        m.put("ip host name", e -> e.put("ip", "localhost"));
        m.put("request_id 256 chars", e -> e.put("request_id", "r".repeat(256)));
        m.put("user_agent 1025 chars", e -> e.put("user_agent", "u".repeat(1025)));
        m.put("user_agent 1024 chars", e -> e.put("user_agent", "u".repeat(1024)));
        m.put("unknown field", e -> e.put("note", "x"));
        return m;
    }

    @Test
    void acceptsTheEventsProducersSendAndBuildsTheSameRowAsTheSchemaPath() {
        for (String body : validEvents()) {
            assertThat(SCHEMA.validate(body)).as(body).isEmpty();
            Optional<NewAuditLogEntry> fast = ContractFastPath.read(body);
            assertThat(fast).as(body).isPresent();
            NewAuditLogEntry expected = NewAuditLogEntry.fromEvent(Json.MAPPER.readTree(body));
            assertSameRow(fast.get(), expected);
        }
    }

    @Test
    void neverAcceptsWhatTheSchemaRefuses() {
        List<String> refusedByBoth = new ArrayList<>();
        int schemaRefused = 0;
        for (String valid : validEvents()) {
            for (Map.Entry<String, Consumer<ObjectNode>> mutation : mutations().entrySet()) {
                ObjectNode event = (ObjectNode) Json.MAPPER.readTree(valid);
                mutation.getValue().accept(event);
                String body = Json.write(event);
                boolean schemaAccepts = SCHEMA.validate(body).isEmpty();
                Optional<NewAuditLogEntry> fast = ContractFastPath.read(body);
                if (fast.isPresent()) {
                    assertThat(schemaAccepts).as("the fast path accepted what the schema refuses: " + mutation.getKey()).isTrue();
                    assertSameRow(fast.get(), NewAuditLogEntry.fromEvent(Json.MAPPER.readTree(body)));
                }
                if (!schemaAccepts) {
                    schemaRefused++;
                    refusedByBoth.add(mutation.getKey());
                }
            }
        }
        assertThat(schemaRefused).as("the mutations do break the contract").isGreaterThan(300);
        assertThat(refusedByBoth).contains("without event_id", "occurred_at 30 February", "actor user posing as system",
                "changes entry without old", "unknown field");
    }

    @Test
    void leavesBodiesThatAreNotPlainJsonObjectsToTheSchemaPath() {
        String valid = validEvents().getFirst();
        for (String body : List.of("", "  ", "null", "[]", "\"text\"", "{", valid + " {}", valid.replace("{\"schema_version\":1,",
                "{\"schema_version\":1,\"schema_version\":1,"), valid.replace("\"entity_id\":\"deal-1\",",
                "\"entity_id\":\"deal-1\",\"entity_id\":\"deal-2\","), "{\"event_id\": secret-customer-note")) {
            assertThat(ContractFastPath.read(body)).as(body).isEmpty();
        }
        assertThat(ContractFastPath.read(null)).isEmpty();
    }

    /**
     * The fast path implements the contract as it stands; when the schema changes this fails, so whoever changes it
     * brings {@link ContractFastPath} (and the mutations above) along.
     */
    @Test
    void isWrittenForTheCurrentSchema() throws IOException {
        try (InputStream schema = AuditEventValidator.class.getResourceAsStream(AuditEventValidator.SCHEMA_RESOURCE)) {
            assertThat(Hashes.sha256Hex(new String(schema.readAllBytes(), StandardCharsets.UTF_8)))
                    .as("audit-event.schema.json changed: review ContractFastPath, then update this hash")
                    .isEqualTo("f3b33e49819e957dc44a9019086a3f0f0c33df8f818c0f0d9c4640f8c6f7767d");
        }
    }

    private static void assertSameRow(NewAuditLogEntry actual, NewAuditLogEntry expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("before", "after", "changes").isEqualTo(expected);
        assertThat(tree(actual.before())).isEqualTo(tree(expected.before()));
        assertThat(tree(actual.after())).isEqualTo(tree(expected.after()));
        assertThat(tree(actual.changes())).isEqualTo(tree(expected.changes()));
    }

    private static JsonNode tree(String json) {
        return json == null ? null : Json.MAPPER.readTree(json);
    }
}
