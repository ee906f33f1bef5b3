package dev.pipedesk.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.Jdbc;
import dev.pipedesk.postgres.MigratedDatabase;
import dev.pipedesk.postgres.Transactions;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Lead and deal writes made with plain SQL are captured by the V3 trigger into audit_outbox, as
 * events that follow the audit contract (docs/audit-events.md).
 */
@Tag("integration")
class DatabaseAuditCaptureTest {
    private static final Set<String> CONTRACT_FIELDS = Set.of("schema_version", "event_id", "entity_type",
            "entity_id", "action", "actor", "occurred_at", "before", "after", "changes", "source", "request_id",
            "ip", "user_agent");
    private static final String OCCURRED_AT_FORMAT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase();
    private static DataSource db;
    private static String databaseUser;

    @BeforeAll
    static void sessionUser() {
        db = database.dataSource();
        databaseUser = Transactions.inTransaction(db, c -> queryString(c, "select session_user"));
    }

    @Test
    void insertingALeadWritesACreateEventWithTheRowAsAfter() {
        String id = Transactions.inTransaction(db, c -> insertLead(c, "Ada Lovelace", "new", "1500.50"));

        JsonNode event = single(eventsFor(id));
        assertThat(event.get("action").asString()).isEqualTo("create");
        assertThat(event.get("entity_type").asString()).isEqualTo("lead");
        assertThat(event.get("entity_id").asString()).isEqualTo(id);
        assertThat(event.get("source").asString()).isEqualTo("database");
        assertThat(event.get("before").isNull()).isTrue();
        assertThat(event.get("changes").isNull()).isTrue();
        JsonNode after = event.get("after");
        assertThat(after.get("id").asString()).isEqualTo(id);
        assertThat(after.get("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(after.get("status").asString()).isEqualTo("new");
        assertThat(after.get("value").isNumber()).isTrue();
        assertThat(after.get("value").decimalValue()).isEqualByComparingTo("1500.50");
        assertThat(after.get("owner_id").isNull()).isTrue();
        assertThat(after.has("created_at")).isTrue();
    }

    @Test
    void updatingTrackedColumnsRecordsOnlyTheChangedFieldsWithTheirJsonTypes() {
        String id = Transactions.inTransaction(db, c -> insertLead(c, "Grace Hopper", "new", "100"));
        Transactions.inTransaction(db, c -> execute(c,
                "update leads set value = 2500.75, owner_id = 'user-9', name = name, updated_at = now() where id = ?::uuid", id));

        List<JsonNode> events = eventsFor(id);
        assertThat(events).extracting(e -> e.get("action").asString()).containsExactly("create", "update");
        JsonNode update = events.get(1);
        JsonNode changes = update.get("changes");
        assertThat(fieldNames(changes)).containsExactlyInAnyOrder("value", "owner_id");
        assertThat(changes.get("value").get("old").isNumber()).isTrue();
        assertThat(changes.get("value").get("old").decimalValue()).isEqualByComparingTo("100");
        assertThat(changes.get("value").get("new").isNumber()).isTrue();
        assertThat(changes.get("value").get("new").decimalValue()).isEqualByComparingTo(new BigDecimal("2500.75"));
        assertThat(changes.get("owner_id").has("old")).isTrue();
        assertThat(changes.get("owner_id").get("old").isNull()).isTrue();
        assertThat(changes.get("owner_id").get("new").asString()).isEqualTo("user-9");
        assertThat(update.get("before").get("value").decimalValue()).isEqualByComparingTo("100");
        assertThat(update.get("after").get("value").decimalValue()).isEqualByComparingTo("2500.75");
        assertThat(update.get("after").get("owner_id").asString()).isEqualTo("user-9");
    }

    @Test
    void anUpdateThatChangesNoTrackedColumnWritesNothing() {
        String id = Transactions.inTransaction(db, c -> insertLead(c, "Alan Turing", "new", "10"));
        Transactions.inTransaction(db, c -> execute(c,
                "update leads set updated_at = now() + interval '1 hour', created_at = now() - interval '1 day' where id = ?::uuid", id));
        Transactions.inTransaction(db, c -> execute(c,
                "update leads set status = status, value = 10.00, name = 'Alan Turing', updated_at = now() where id = ?::uuid", id));

        assertThat(eventsFor(id)).extracting(e -> e.get("action").asString()).containsExactly("create");
    }

    @Test
    void aLeadStatusChangeIsRecordedAsStatusChange() {
        String id = Transactions.inTransaction(db, c -> insertLead(c, "Katherine Johnson", "new", null));
        Transactions.inTransaction(db, c -> execute(c,
                "update leads set status = 'qualified', notes = 'called twice' where id = ?::uuid", id));

        JsonNode statusChange = eventsFor(id).get(1);
        assertThat(statusChange.get("action").asString()).isEqualTo("status_change");
        assertThat(statusChange.get("changes").get("status").get("old").asString()).isEqualTo("new");
        assertThat(statusChange.get("changes").get("status").get("new").asString()).isEqualTo("qualified");
        assertThat(statusChange.get("changes").get("notes").get("new").asString()).isEqualTo("called twice");
        assertThat(statusChange.get("before").get("status").asString()).isEqualTo("new");
        assertThat(statusChange.get("after").get("status").asString()).isEqualTo("qualified");
    }

    @Test
    void deletingALeadWritesADeleteEventWithTheRowAsBefore() {
        String id = Transactions.inTransaction(db, c -> insertLead(c, "Margaret Hamilton", "contacted", "42"));
        Transactions.inTransaction(db, c -> execute(c, "delete from leads where id = ?::uuid", id));

        List<JsonNode> events = eventsFor(id);
        assertThat(events).extracting(e -> e.get("action").asString()).containsExactly("create", "delete");
        JsonNode delete = events.get(1);
        assertThat(delete.get("after").isNull()).isTrue();
        assertThat(delete.get("changes").isNull()).isTrue();
        assertThat(delete.get("before").get("name").asString()).isEqualTo("Margaret Hamilton");
        assertThat(delete.get("before").get("value").decimalValue()).isEqualByComparingTo("42");
    }

    @Test
    void aDealStageChangeIsAStatusChangeOfTheDeal() {
        String id = Transactions.inTransaction(db, c -> queryString(c,
                "insert into deals (title, amount, expected_close_date) values ('Pilot', 12000, date '2026-03-31') returning id::text"));
        Transactions.inTransaction(db, c -> execute(c,
                "update deals set stage = 'proposal', amount = 15000.25 where id = ?::uuid", id));
        Transactions.inTransaction(db, c -> execute(c,
                "update deals set expected_close_date = date '2026-04-30' where id = ?::uuid", id));

        List<JsonNode> events = eventsFor(id);
        assertThat(events).extracting(e -> e.get("action").asString())
                .containsExactly("create", "status_change", "update");
        assertThat(events).allSatisfy(e -> assertThat(e.get("entity_type").asString()).isEqualTo("deal"));
        JsonNode stageChange = events.get(1).get("changes");
        assertThat(stageChange.get("stage").get("old").asString()).isEqualTo("qualification");
        assertThat(stageChange.get("stage").get("new").asString()).isEqualTo("proposal");
        assertThat(stageChange.get("amount").get("new").decimalValue()).isEqualByComparingTo("15000.25");
        JsonNode dateChange = events.get(2).get("changes");
        assertThat(fieldNames(dateChange)).containsExactly("expected_close_date");
        assertThat(dateChange.get("expected_close_date").get("new").asString()).isEqualTo("2026-04-30");
    }

    @Test
    void theActorAndRequestIdComeFromTheTransactionSettings() {
        String id = Transactions.inTransaction(db, c -> {
            execute(c, "select set_config('pipedesk.actor', 'user-123', true)");
            execute(c, "select set_config('pipedesk.request_id', 'req-abc', true)");
            return insertLead(c, "Hedy Lamarr", "new", null);
        });
        Transactions.inTransaction(db, c -> {
            execute(c, "set local pipedesk.actor = 'system:lead-import'");
            return execute(c, "update leads set status = 'contacted' where id = ?::uuid", id);
        });

        List<JsonNode> events = eventsFor(id);
        assertThat(events.get(0).get("actor").get("type").asString()).isEqualTo("user");
        assertThat(events.get(0).get("actor").get("id").asString()).isEqualTo("user-123");
        assertThat(events.get(0).get("request_id").asString()).isEqualTo("req-abc");
        assertThat(events.get(1).get("actor").get("type").asString()).isEqualTo("system");
        assertThat(events.get(1).get("actor").get("id").asString()).isEqualTo("system:lead-import");
        assertThat(events.get(1).get("request_id").isNull()).isTrue();
    }

    @Test
    void withoutAnActorSettingTheDatabaseUserIsTheSystemActorEvenOnAConnectionThatHadOne() throws SQLException {
        String id;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            execute(c, "select set_config('pipedesk.actor', 'user-earlier', true)");
            execute(c, "select set_config('pipedesk.request_id', 'req-earlier', true)");
            id = insertLead(c, "Radia Perlman", "new", null);
            c.commit();
            execute(c, "update leads set status = 'contacted' where id = ?::uuid", id);
            c.commit();
        }

        List<JsonNode> events = eventsFor(id);
        assertThat(events.get(0).get("actor").get("id").asString()).isEqualTo("user-earlier");
        JsonNode fallback = events.get(1);
        assertThat(fallback.get("actor").get("type").asString()).isEqualTo("system");
        assertThat(fallback.get("actor").get("id").asString()).isEqualTo("system:db:" + databaseUser);
        assertThat(fallback.get("request_id").isNull()).isTrue();
    }

    @Test
    void aSupabaseRequestsJwtSubjectIsTheUserUnlessAnActorIsSet() {
        String id = Transactions.inTransaction(db, c -> {
            execute(c, "select set_config('request.jwt.claims', '{\"sub\":\"auth-uid-7\",\"role\":\"authenticated\"}', true)");
            return insertLead(c, "Barbara Liskov", "new", null);
        });
        Transactions.inTransaction(db, c -> {
            execute(c, "select set_config('request.jwt.claims', '{\"sub\":\"auth-uid-7\"}', true)");
            execute(c, "select set_config('pipedesk.actor', 'user-explicit', true)");
            return execute(c, "update leads set status = 'contacted' where id = ?::uuid", id);
        });

        List<JsonNode> events = eventsFor(id);
        assertThat(events.get(0).get("actor").get("type").asString()).isEqualTo("user");
        assertThat(events.get(0).get("actor").get("id").asString()).isEqualTo("auth-uid-7");
        assertThat(events.get(1).get("actor").get("id").asString()).isEqualTo("user-explicit");
    }

    @Test
    void aWriterWithoutOutboxPrivilegesIsAuditedAsItsRoleAndCannotWriteTheOutboxItself() {
        Transactions.inTransaction(db, c -> {
            execute(c, "create role crm_app_writer nologin");
            return execute(c, "grant select, insert, update, delete on leads to crm_app_writer");
        });

        String id = Transactions.inTransaction(db, c -> {
            execute(c, "set local role crm_app_writer");
            return insertLead(c, "Frances Allen", "new", "7");
        });
        assertThatThrownBy(() -> Transactions.inTransaction(db, c -> {
            execute(c, "set local role crm_app_writer");
            return execute(c, "insert into audit_outbox (event_id, payload) values (gen_random_uuid(), '{}')");
        })).isInstanceOf(DatabaseException.class).cause().hasMessageContaining("permission denied");

        JsonNode event = single(eventsFor(id));
        assertThat(event.get("actor").get("type").asString()).isEqualTo("system");
        assertThat(event.get("actor").get("id").asString()).isEqualTo("system:db:crm_app_writer");
    }

    @Test
    void anActorTheContractRefusesFailsTheWriteInsteadOfCommittingAnEventThatCannotBeStored() {
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> Transactions.inTransaction(db, c -> {
            execute(c, "select set_config('pipedesk.actor', 'system:nightly import', true)");
            return execute(c, "insert into leads (id, name) values (?::uuid, 'Bad Actor')", id);
        })).isInstanceOf(DatabaseException.class).cause()
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"))
                .hasMessageContaining("not a valid audit actor");

        assertThat(eventsFor(id)).isEmpty();
        assertThat(leadExists(id)).isFalse();
    }

    @Test
    void aRolledBackTransactionLeavesNoOutboxRow() {
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> Transactions.inTransaction(db, c -> {
            execute(c, "insert into leads (id, name) values (?::uuid, 'Never Saved')", id);
            execute(c, "update leads set status = 'qualified' where id = ?::uuid", id);
            throw new IllegalStateException("the caller gives up");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(eventsFor(id)).isEmpty();
        assertThat(leadExists(id)).isFalse();
    }

    @Test
    void rowTimesAreWrittenInUtcWhateverTheSessionTimeZone() {
        String id = Transactions.inTransaction(db, c -> {
            execute(c, "set local time zone 'America/Sao_Paulo'");
            return insertLead(c, "Shafi Goldwasser", "new", null);
        });

        String createdAt = single(eventsFor(id)).get("after").get("created_at").asString();
        assertThat(OffsetDateTime.parse(createdAt).getOffset().getTotalSeconds()).isZero();
    }

    @Test
    void attachingToACrmsOwnTableTracksItsColumnsExcludesSecretsAndRecordsTruncate() {
        Transactions.inTransaction(db, c -> {
            execute(c, "create table crm_contacts (contact_id text primary key, full_name text not null, "
                    + "tax_number text, updated_at timestamptz not null default now())");
            return execute(c, "select pipedesk_audit.attach('crm_contacts', 'contact', '{full_name}', "
                    + "id_column => 'contact_id', excluded_columns => '{tax_number}')");
        });
        Transactions.inTransaction(db, c -> execute(c,
                "insert into crm_contacts (contact_id, full_name, tax_number) values ('c-1', 'Ana', '111'), ('c-2', 'Bia', '222')"));
        Transactions.inTransaction(db, c -> execute(c, "update crm_contacts set tax_number = '333' where contact_id = 'c-1'"));
        Transactions.inTransaction(db, c -> execute(c, "update crm_contacts set full_name = 'Ana Maria' where contact_id = 'c-1'"));
        Transactions.inTransaction(db, c -> execute(c, "truncate crm_contacts"));

        List<JsonNode> contact1 = eventsFor("c-1");
        assertThat(contact1).extracting(e -> e.get("action").asString()).containsExactly("create", "update", "delete");
        assertThat(contact1).allSatisfy(e -> assertThat(e.get("entity_type").asString()).isEqualTo("contact"));
        assertThat(contact1).allSatisfy(e -> assertThat(e.toString()).doesNotContain("tax_number", "\"111\"", "\"333\""));
        assertThat(fieldNames(contact1.get(1).get("changes"))).containsExactly("full_name");
        assertThat(contact1.get(2).get("before").get("full_name").asString()).isEqualTo("Ana Maria");
        assertThat(eventsFor("c-2")).extracting(e -> e.get("action").asString()).containsExactly("create", "delete");
    }

    @Test
    void attachRefusesColumnsTheTableDoesNotHave() {
        assertThatThrownBy(() -> Transactions.inTransaction(db, c -> execute(c,
                "select pipedesk_audit.attach('leads', 'lead', '{name,stauts}', status_column => 'status')")))
                .isInstanceOf(DatabaseException.class).cause()
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42703"))
                .hasMessageContaining("stauts");
        assertThatThrownBy(() -> Transactions.inTransaction(db, c -> execute(c,
                "select pipedesk_audit.attach('leads', 'lead', '{name,email}', excluded_columns => '{email}')")))
                .isInstanceOf(DatabaseException.class).cause()
                .hasMessageContaining("cannot also be");

        String id = Transactions.inTransaction(db, c -> insertLead(c, "Still Audited", "new", null));
        Transactions.inTransaction(db, c -> execute(c, "update leads set status = 'contacted' where id = ?::uuid", id));
        assertThat(eventsFor(id)).extracting(e -> e.get("action").asString()).containsExactly("create", "status_change");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static String insertLead(Connection c, String name, String status, String value) throws SQLException {
        return queryString(c, "insert into leads (name, status, value) values (?, ?, ?::numeric) returning id::text",
                name, status, value);
    }

    /** The outbox events of one entity, oldest first, each checked against the contract. */
    private static List<JsonNode> eventsFor(String entityId) {
        return Transactions.inTransaction(db, c -> Jdbc.list(c,
                "select event_id::text, payload::text from audit_outbox where payload ->> 'entity_id' = ? order by id",
                List.of(entityId), row -> followingTheContract(row.getString(1), row.getString(2))));
    }

    private static JsonNode followingTheContract(String outboxEventId, String payloadJson) {
        JsonNode payload = Json.MAPPER.readTree(payloadJson);
        assertThat(fieldNames(payload)).containsExactlyInAnyOrderElementsOf(CONTRACT_FIELDS);
        assertThat(payload.get("schema_version").isInt()).isTrue();
        assertThat(payload.get("schema_version").intValue()).isEqualTo(AuditEvent.SCHEMA_VERSION);
        assertThat(UUID.fromString(payload.get("event_id").asString()).toString()).isEqualTo(outboxEventId);
        assertThat(payload.get("occurred_at").asString()).matches(OCCURRED_AT_FORMAT);
        assertThat(Instant.parse(payload.get("occurred_at").asString())).isBefore(Instant.now().plusSeconds(60));
        assertThat(payload.get("entity_type").asString()).matches("[a-z][a-z0-9_]{0,62}");
        assertThat(payload.get("entity_id").asString()).hasSizeBetween(1, 255);
        assertThat(fieldNames(payload.get("actor"))).containsExactlyInAnyOrder("type", "id");
        String actorId = payload.get("actor").get("id").asString();
        assertThat(actorId).hasSizeBetween(1, 255);
        if (payload.get("actor").get("type").asString().equals("system")) {
            assertThat(actorId).matches("system:\\S+");
        } else {
            assertThat(payload.get("actor").get("type").asString()).isEqualTo("user");
            assertThat(actorId).doesNotStartWith("system:");
        }
        assertThat(payload.get("source").asString()).isEqualTo("database");
        assertThat(payload.get("ip").isNull()).isTrue();
        assertThat(payload.get("user_agent").isNull()).isTrue();
        JsonNode changes = payload.get("changes");
        if (!changes.isNull()) {
            assertThat(changes.isObject()).isTrue();
            changes.forEach(change -> assertThat(fieldNames(change)).containsExactlyInAnyOrder("old", "new"));
        }
        AuditEvent event = Json.read(payloadJson, AuditEvent.class);
        assertThat(event.eventId()).isEqualTo(outboxEventId);
        return payload;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    private static JsonNode single(List<JsonNode> events) {
        assertThat(events).hasSize(1);
        return events.getFirst();
    }

    private static int execute(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            return statement.execute() ? 0 : statement.getUpdateCount();
        }
    }

    private static String queryString(Connection c, String sql, String... parameters) throws SQLException {
        return Jdbc.first(c, sql, Arrays.asList(parameters), row -> row.getString(1)).orElseThrow();
    }

    private static boolean leadExists(String id) {
        return Transactions.inTransaction(db, c -> queryString(c, "select exists (select from leads where id = ?::uuid)::text", id))
                .equals("true");
    }
}
