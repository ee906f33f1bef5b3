package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit log (append and the read side) against a real PostgreSQL. audit_logs is append-only,
 * so each test keeps to rows of its own entity type (or actor) instead of cleaning up.
 */
@Tag("integration")
class AuditLogRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase();
    private static AuditLogRepository repository;

    @BeforeAll
    static void repository() {
        repository = new AuditLogRepository(database.dataSource());
    }

    /** Inserts a row with plain SQL and returns its id (the tests' expected order). */
    private static long insert(String entityType, String entityId, String action, String actorId, Instant occurredAt) {
        return insert(entityType, entityId, action, actorId, occurredAt, null, null, null, null);
    }

    private static long insert(String entityType, String entityId, String action, String actorId, Instant occurredAt,
                               String changes, String before, String after, String requestId) {
        String sql = """
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, changes, before, after, source, request_id)
                values (?, 1, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, 'test', ?) returning id""";
        List<Object> values = Arrays.asList(UUID.randomUUID(), entityType, entityId, action,
                actorId.startsWith("system:") ? "system" : "user", actorId, occurredAt, changes, before, after, requestId);
        return Transactions.inTransaction(database.dataSource(), c -> Jdbc.first(c, sql, values, row -> row.getLong(1)).orElseThrow());
    }

    private static AuditLogQuery ofType(String entityType, int limit) {
        return new AuditLogQuery(entityType, null, null, null, null, null, null, limit, 0);
    }

    private static List<Long> ids(AuditLogPage page) {
        return page.items().stream().map(AuditLogEntry::id).toList();
    }

    @Test
    void listsNewestFirstAndBreaksTiesByIdDescending() {
        long oldest = insert("t_order", "e1", "create", "u1", T0);
        long tieFirst = insert("t_order", "e1", "update", "u1", T0.plusSeconds(60));
        long newest = insert("t_order", "e1", "update", "u1", T0.plusSeconds(120));
        long tieSecond = insert("t_order", "e1", "update", "u1", T0.plusSeconds(60));

        AuditLogPage page = repository.list(ofType("t_order", 10));

        assertThat(ids(page)).containsExactly(newest, tieSecond, tieFirst, oldest);
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextPosition()).isNull();
    }

    @Test
    void filtersCombineWithAnd() {
        long wanted = insert("t_filter", "d-1", "update", "alice", T0);
        insert("t_filter", "d-2", "update", "alice", T0);
        insert("t_filter", "d-1", "create", "alice", T0);
        insert("t_filter", "d-1", "update", "bob", T0);
        insert("t_other", "d-1", "update", "alice", T0);

        AuditLogPage page = repository.list(new AuditLogQuery("t_filter", "d-1", "update", "alice", null, null, null, 10, 0));

        assertThat(ids(page)).containsExactly(wanted);
        assertThat(page.total()).isEqualTo(1);
    }

    @Test
    void timeRangeIncludesItsStartAndExcludesItsEnd() {
        insert("t_range", "e", "update", "u", T0.minusNanos(1_000));
        long atStart = insert("t_range", "e", "update", "u", T0);
        long inside = insert("t_range", "e", "update", "u", T0.plusSeconds(3599));
        insert("t_range", "e", "update", "u", T0.plusSeconds(3600));

        AuditLogPage page = repository.list(new AuditLogQuery("t_range", null, null, null, T0, T0.plusSeconds(3600),
                null, 10, 0));

        assertThat(ids(page)).containsExactly(inside, atStart);
    }

    @Test
    void totalStopsCountingAtItsCapAndSaysSo() {
        AuditLogRepository capped = new AuditLogRepository(database.dataSource(), 3);
        for (int i = 0; i < 5; i++) {
            insert("t_cap_over", "e", "update", "u", T0.plusSeconds(i));
        }
        for (int i = 0; i < 3; i++) {
            insert("t_cap_at", "e", "update", "u", T0.plusSeconds(i));
        }

        AuditLogPage over = capped.list(ofType("t_cap_over", 2));
        AuditLogPage at = capped.list(ofType("t_cap_at", 2));

        assertThat(over.total()).isEqualTo(3);
        assertThat(over.totalExact()).isFalse();
        assertThat(over.items()).hasSize(2);
        assertThat(over.hasMore()).isTrue();
        assertThat(at.total()).isEqualTo(3);
        assertThat(at.totalExact()).isTrue();
    }

    @Test
    void theDefaultCapIsTenThousandAndTheCountStatementStopsAfterIt() {
        SqlStatement count = AuditLogRepository.statements(ofType("t_any", 2)).count();

        assertThat(AuditLogRepository.EXACT_TOTAL_LIMIT).isEqualTo(10_000);
        assertThat(count.sql()).contains("limit ?");
        assertThat(count.parameters()).containsExactly("t_any", 10_001);
    }

    @Test
    void totalCountsEveryMatchWhateverThePage() {
        for (int i = 0; i < 5; i++) {
            insert("t_total", "e", "update", "u", T0.plusSeconds(i));
        }

        AuditLogPage first = repository.list(ofType("t_total", 2));
        AuditLogPage last = repository.list(new AuditLogQuery("t_total", null, null, null, null, null, null, 2, 4));

        assertThat(first.items()).hasSize(2);
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.totalExact()).isTrue();
        assertThat(first.hasMore()).isTrue();
        assertThat(last.items()).hasSize(1);
        assertThat(last.total()).isEqualTo(5);
        assertThat(last.hasMore()).isFalse();
    }

    @Test
    void aPagePastTheLastRowIsEmptyAndStillCarriesTheTotal() {
        for (int i = 0; i < 3; i++) {
            insert("t_past", "e", "update", "u", T0.plusSeconds(i));
        }

        AuditLogPage past = repository.list(new AuditLogQuery("t_past", null, null, null, null, null, null, 2, 10));
        AuditLogPage none = repository.list(ofType("t_nothing_here", 2));

        assertThat(past.items()).isEmpty();
        assertThat(past.total()).isEqualTo(3);
        assertThat(past.hasMore()).isFalse();
        assertThat(none.items()).isEmpty();
        assertThat(none.total()).isZero();
        assertThat(none.totalExact()).isTrue();
    }

    @Test
    void theListIsOneStatementWithTheCappedCountAndThePage() {
        AuditLogRepository.ListStatements statements = AuditLogRepository.statements(ofType("t_any", 2));

        assertThat(statements.merged().sql()).contains(statements.page().sql()).contains("left join lateral");
        assertThat(statements.merged().parameters()).containsExactly("t_any", 10_001, "t_any", 3, 0);
    }

    @Test
    void aPageThatEndsExactlyAtTheLastRowHasNoNextPosition() {
        insert("t_exact", "e", "update", "u", T0);
        insert("t_exact", "e", "update", "u", T0.plusSeconds(1));

        AuditLogPage page = repository.list(ofType("t_exact", 2));

        assertThat(page.items()).hasSize(2);
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextPosition()).isNull();
    }

    @Test
    void keysetPagingNeitherRepeatsNorSkipsRowsWhileNewRowsArrive() {
        List<Long> original = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // pairs of equal times, so page boundaries fall inside ties
            original.add(insert("t_keyset", "e", "update", "u", T0.plusSeconds(i / 2)));
        }
        List<Long> expected = original.reversed(); // later rows have later (or equal) times and higher ids
        List<Long> seen = new ArrayList<>();

        AuditLogPage page = repository.list(ofType("t_keyset", 3));
        seen.addAll(ids(page));
        // arriving between pages: newer than everything, and tied with the position's time
        // (a higher id, so it sorts before the position too)
        AuditLogPosition position = page.nextPosition();
        long newer = insert("t_keyset", "e", "update", "u", T0.plusSeconds(3600));
        long tiedWithPosition = insert("t_keyset", "e", "update", "u", position.occurredAt());
        while (page.hasMore()) {
            page = repository.list(new AuditLogQuery("t_keyset", null, null, null, null, null, page.nextPosition(), 3, 0));
            seen.addAll(ids(page));
        }

        assertThat(seen).containsExactlyElementsOf(expected).doesNotContain(newer, tiedWithPosition);
        assertThat(page.total()).isEqualTo(9);
        assertThat(ids(repository.list(ofType("t_keyset", 20)))).startsWith(newer);
    }

    @Test
    void positionsKeepMicrosecondPrecision() {
        Instant precise = Instant.parse("2026-03-01T12:00:00.123456Z");
        long first = insert("t_micros", "e", "update", "u", precise);
        long second = insert("t_micros", "e", "update", "u", precise);
        long earlier = insert("t_micros", "e", "update", "u", precise.minusNanos(1_000));

        AuditLogPage page = repository.list(ofType("t_micros", 1));
        assertThat(ids(page)).containsExactly(second);
        assertThat(page.nextPosition()).isEqualTo(new AuditLogPosition(precise, second));

        AuditLogPage next = repository.list(new AuditLogQuery("t_micros", null, null, null, null, null,
                page.nextPosition(), 5, 0));
        assertThat(ids(next)).containsExactly(first, earlier);
    }

    @Test
    void readsEveryColumnTheApiShows() {
        long id = insert("t_columns", "lead-9", "status_change", "system:crm-trigger", T0,
                "{\"status\":{\"old\":\"new\",\"new\":\"won\"},\"amount\":{\"old\":1,\"new\":2.5}}",
                "{\"status\":\"new\"}", "{\"status\":\"won\"}", "req-1");
        insert("t_columns", "lead-9", "create", "u-1", T0.minusSeconds(1));

        List<AuditLogEntry> items = repository.list(ofType("t_columns", 10)).items();
        AuditLogEntry entry = items.getFirst();

        assertThat(entry.id()).isEqualTo(id);
        assertThat(entry.eventId()).matches("[0-9a-f-]{36}");
        assertThat(entry.schemaVersion()).isEqualTo(1);
        assertThat(entry.entityType()).isEqualTo("t_columns");
        assertThat(entry.entityId()).isEqualTo("lead-9");
        assertThat(entry.action()).isEqualTo("status_change");
        assertThat(entry.actorType()).isEqualTo("system");
        assertThat(entry.actorId()).isEqualTo("system:crm-trigger");
        assertThat(entry.occurredAt()).isEqualTo(T0);
        assertThat(entry.recordedAt()).isNotNull();
        assertThat(entry.changes().tree().at("/status/new").asString()).isEqualTo("won");
        assertThat(entry.changes().tree().at("/amount/new").isNumber()).isTrue();
        assertThat(entry.before().tree().path("status").asString()).isEqualTo("new");
        assertThat(entry.after().tree().path("status").asString()).isEqualTo("won");
        assertThat(entry.source()).isEqualTo("test");
        assertThat(entry.requestId()).isEqualTo("req-1");
        AuditLogEntry bare = items.get(1);
        assertThat(bare.changes()).isNull();
        assertThat(bare.before()).isNull();
        assertThat(bare.after()).isNull();
        assertThat(bare.requestId()).isNull();
        assertThat(bare.actorType()).isEqualTo("user");
    }

    private static NewAuditLogEntry newEntry(String entityType, String after) {
        return new NewAuditLogEntry(UUID.randomUUID().toString(), 1, entityType, "e-1", "update", "user", "u-1",
                "2026-03-01T10:00:00-03:00", null, after, null, "test", null, null, null);
    }

    @Test
    void appendStoresEachEventIdOnceAndLeavesOutOnlyWhatTheDatabaseRefuses() {
        NewAuditLogEntry first = newEntry("t_append", "{\"n\":1}");
        NewAuditLogEntry second = newEntry("t_append", "{\"n\":2}");
        // jsonb cannot hold \u0000: the database refuses this entry's data
        NewAuditLogEntry refused = newEntry("t_append", "{\"n\":\"a\\u0000b\"}");

        AuditLogRepository.Appended once = repository.append(List.of(first, second));
        AuditLogRepository.Appended again = repository.append(List.of(second, refused, first));

        assertThat(once).isEqualTo(new AuditLogRepository.Appended(2, List.of()));
        assertThat(again.written()).isZero();
        assertThat(again.refused()).extracting(AuditLogRepository.Refusal::entry).containsExactly(refused);
        assertThat(again.refusalOf(refused)).hasValueSatisfying(sqlState -> assertThat(sqlState).startsWith("22"));
        assertThat(again.refusalOf(first)).isEmpty();
        List<AuditLogEntry> stored = repository.list(ofType("t_append", 10)).items();
        assertThat(stored).extracting(AuditLogEntry::eventId).containsExactlyInAnyOrder(first.eventId(), second.eventId());
        assertThat(stored).allSatisfy(entry -> assertThat(entry.occurredAt()).isEqualTo(Instant.parse("2026-03-01T13:00:00Z")));
    }

    @Test
    void eachStatementStaysUnderPostgresParameterLimit() {
        String oneRow = NewAuditLogEntry.insertSql(1);
        assertThat(oneRow.chars().filter(c -> c == '?').count()).isEqualTo(NewAuditLogEntry.COLUMN_COUNT);
        assertThat(AuditLogRepository.ROWS_PER_STATEMENT).isEqualTo(4_369);
        assertThat((long) AuditLogRepository.ROWS_PER_STATEMENT * NewAuditLogEntry.COLUMN_COUNT)
                .isLessThanOrEqualTo(AuditLogRepository.MAX_PARAMETERS);
    }

    @Test
    void appendSplitsTenThousandEntriesIntoStatementsAndStoresEachOnce() {
        List<NewAuditLogEntry> entries = entries("t_split", 10_000);

        AuditLogRepository.Appended first = repository.append(entries);
        AuditLogRepository.Appended again = repository.append(entries);

        assertThat(first).isEqualTo(new AuditLogRepository.Appended(10_000, List.of()));
        assertThat(again).isEqualTo(new AuditLogRepository.Appended(0, List.of()));
        assertThat(countOf("t_split")).isEqualTo(10_000);
    }

    @Test
    void aDatabaseFailureInTheLastStatementOfASplitBatchLeavesNothingStored() {
        List<NewAuditLogEntry> entries = new ArrayList<>(entries("t_split_fail", 9_999));
        NewAuditLogEntry failing = new NewAuditLogEntry(UUID.randomUUID().toString(), 1, "t_split_fail", "fail-here", "update",
                "user", "u-1", "2026-03-01T10:00:00Z", null, null, null, "test", null, null, null);
        entries.add(failing);  // the third statement's last row
        execute("""
                create function t_split_fail() returns trigger language plpgsql as $$
                begin
                  if new.entity_id = 'fail-here' then raise exception 'the database is failing'; end if;
                  return new;
                end $$""");
        execute("create trigger t_split_fail before insert on audit_logs for each row execute function t_split_fail()");
        try {
            assertThatThrownBy(() -> repository.append(entries)).isInstanceOf(DatabaseException.class);
        } finally {
            execute("drop trigger t_split_fail on audit_logs");
            execute("drop function t_split_fail()");
        }
        assertThat(countOf("t_split_fail")).isZero();

        assertThat(repository.append(entries).written()).isEqualTo(10_000);
    }

    @Test
    void refusedEntriesInDifferentStatementsOfATenThousandBatchAreTheOnlyOnesLeftOut() {
        List<NewAuditLogEntry> entries = new ArrayList<>(entries("t_split_refused", 10_000));
        NewAuditLogEntry early = newEntry("t_split_refused", "{\"n\":\"a\\u0000b\"}");
        NewAuditLogEntry late = newEntry("t_split_refused", "{\"n\":\"c\\u0000d\"}");
        entries.set(17, early);
        entries.set(9_000, late);

        AuditLogRepository.Appended appended = repository.append(entries);

        assertThat(appended.written()).isEqualTo(9_998);
        assertThat(appended.refused()).extracting(AuditLogRepository.Refusal::entry).containsExactly(early, late);
        assertThat(countOf("t_split_refused")).isEqualTo(9_998);
    }

    private static List<NewAuditLogEntry> entries(String entityType, int count) {
        List<NewAuditLogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(newEntry(entityType, "{\"n\":" + i + "}"));
        }
        return entries;
    }

    private static long countOf(String entityType) {
        return Transactions.withAutoCommit(database.dataSource(), c -> Jdbc.count(c,
                "select count(*) from audit_logs where entity_type = ?", List.of(entityType)));
    }

    private static void execute(String sql) {
        Transactions.withAutoCommit(database.dataSource(), c -> Jdbc.update(c, sql, List.of()));
    }
}
