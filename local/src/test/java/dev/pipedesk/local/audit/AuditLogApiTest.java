package dev.pipedesk.local.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.Role;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The audit-log API through the local stack (gateway, authorizer, timeline function, PostgreSQL):
 * role rules, filters, paging, the cursor and validation. Rows are inserted with plain SQL, as
 * the audit-writer would; every test reads only its own rows (an entity type or actor of its own),
 * since other tests write audit entries into the same database.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class AuditLogApiTest {
    private static final String LIST = "/api/audit-logs";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final Api api = LocalStackExtension.api();
    private String type;

    @BeforeEach
    void requireTheTimelineFunction() {
        LocalStackExtension.requireFunction("timeline");
        type = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    // --- fixtures ------------------------------------------------------------------------------

    private record Row(String entityType, String entityId, String action, String actorId, Instant occurredAt,
                       String changes, String before, String after, String requestId) {
        Row(String entityType, String entityId, String action, String actorId, Instant occurredAt) {
            this(entityType, entityId, action, actorId, occurredAt, null, null, null, null);
        }
    }

    /** Inserts rows as the audit-writer does and returns their ids, in order. */
    private long insert(Row row) {
        String sql = """
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, changes, before, after, source, request_id, ip, user_agent)
                values (?, 1, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, 'test', ?, '203.0.113.9', 'curl/8') returning id""";
        try (Connection c = LocalStackExtension.stack().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, row.entityType());
            ps.setString(3, row.entityId());
            ps.setString(4, row.action());
            ps.setString(5, row.actorId().startsWith("system:") ? "system" : "user");
            ps.setString(6, row.actorId());
            ps.setObject(7, OffsetDateTime.ofInstant(row.occurredAt(), ZoneOffset.UTC));
            ps.setString(8, row.changes());
            ps.setString(9, row.before());
            ps.setString(10, row.after());
            ps.setString(11, row.requestId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long insert(String entityId, String action, String actorId, Instant occurredAt) {
        return insert(new Row(type, entityId, action, actorId, occurredAt));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> query(Object... pairs) {
        Map<String, Object> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put((String) pairs[i], pairs[i + 1]);
        }
        return query;
    }

    private static String entityPath(String entityType, String entityId) {
        return "/api/audit-logs/entity/" + encode(entityType) + "/" + encode(entityId);
    }

    private static String userPath(String userId) {
        return "/api/audit-logs/user/" + encode(userId);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private ApiResponse asAdmin(String path, Map<String, Object> query) {
        ApiResponse response = api.as(Role.ADMIN, "audit-admin").get(path, query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    private static List<Long> ids(ApiResponse response) {
        List<Long> ids = new ArrayList<>();
        response.at("/items").forEach(item -> ids.add(Long.parseLong(item.path("id").asString())));
        return ids;
    }

    private static List<FieldError> details(ApiResponse response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.errorCode()).contains("validation_failed");
        List<FieldError> details = new ArrayList<>();
        response.at("/error/details").forEach(d -> details.add(new FieldError(d.path("field").asString(), d.path("message").asString())));
        return details;
    }

    private static List<String> fields(ApiResponse response) {
        return details(response).stream().map(FieldError::field).toList();
    }

    // --- the response --------------------------------------------------------------------------

    @Test
    void anEntryShowsEveryFieldOfTheContractAndNoClientData() {
        long id = insert(new Row(type, "lead-1", "status_change", "u-42", Instant.parse("2026-03-01T12:00:00.123456Z"),
                "{\"status\":{\"old\":\"new\",\"new\":\"won\"},\"amount\":{\"old\":10,\"new\":12.5},\"closed\":{\"old\":null,\"new\":true}}",
                "{\"status\":\"new\",\"amount\":10}", "{\"status\":\"won\",\"amount\":12.5}", "req-123"));

        ApiResponse response = asAdmin(LIST, query("entity_type", type));

        JsonNode item = response.at("/items/0");
        assertThat(item.path("id").asString()).isEqualTo(Long.toString(id));
        assertThat(item.path("event_id").asString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(item.path("entity_type").asString()).isEqualTo(type);
        assertThat(item.path("entity_id").asString()).isEqualTo("lead-1");
        assertThat(item.path("action").asString()).isEqualTo("status_change");
        assertThat(item.path("actor").path("type").asString()).isEqualTo("user");
        assertThat(item.path("actor").path("id").asString()).isEqualTo("u-42");
        assertThat(Instant.parse(item.path("occurred_at").asString())).isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
        assertThat(Instant.parse(item.path("recorded_at").asString())).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(item.at("/changes/status/new").asString()).isEqualTo("won");
        assertThat(item.at("/changes/amount/new").isNumber()).isTrue();
        assertThat(item.at("/changes/amount/new").asDouble()).isEqualTo(12.5);
        assertThat(item.at("/changes/closed/old").isNull()).isTrue();
        assertThat(item.at("/changes/closed/new").isBoolean()).isTrue();
        assertThat(item.at("/before/status").asString()).isEqualTo("new");
        assertThat(item.at("/after/amount").asDouble()).isEqualTo(12.5);
        assertThat(item.path("source").asString()).isEqualTo("test");
        assertThat(item.path("request_id").asString()).isEqualTo("req-123");
        assertThat(item.propertyNames()).containsExactly("id", "event_id", "entity_type", "entity_id", "action", "actor",
                "occurred_at", "recorded_at", "changes", "before", "after", "source", "request_id");
        assertThat(response.at("/pagination/total").asLong()).isEqualTo(1);
        assertThat(response.at("/pagination/total_exact").asBoolean()).isTrue();
        assertThat(response.at("/pagination/limit").asInt()).isEqualTo(50);
        assertThat(response.at("/pagination/offset").asInt()).isZero();
        assertThat(response.at("/pagination/next_cursor").isNull()).isTrue();
        assertThat(response.header("content-type")).contains("application/json");
    }

    @Test
    void missingValuesAreNullAndSystemActorsAreShownAsSuch() {
        insert(new Row(type, "deal-1", "create", "system:calendar-sync", T0));

        JsonNode item = asAdmin(LIST, query("entity_type", type)).at("/items/0");

        assertThat(item.path("actor").path("type").asString()).isEqualTo("system");
        assertThat(item.path("actor").path("id").asString()).isEqualTo("system:calendar-sync");
        for (String field : List.of("changes", "before", "after", "request_id")) {
            assertThat(item.has(field)).as(field).isTrue();
            assertThat(item.path(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void noMatchesIsAnEmptyPage() {
        ApiResponse response = asAdmin(LIST, query("entity_type", type));

        assertThat(response.at("/items").isArray()).isTrue();
        assertThat(response.at("/items").size()).isZero();
        assertThat(response.at("/pagination/total").asLong()).isZero();
        assertThat(response.at("/pagination/next_cursor").isNull()).isTrue();
    }

    // --- who may read what ---------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Role.class)
    void onlyAdminsListTheWholeLog(Role role) {
        ApiResponse response = api.as(role, "lister").get(LIST, query("entity_type", type));

        assertThat(response.status()).as(response.toString()).isEqualTo(role == Role.ADMIN ? 200 : 403);
        if (role != Role.ADMIN) {
            assertThat(response.errorCode()).contains("forbidden");
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void managersAndAdminsReadAnEntitysTrail(Role role) {
        insert("deal-7", "update", "u-1", T0);

        ApiResponse response = api.as(role, "reader").get(entityPath(type, "deal-7"));

        boolean allowed = role == Role.ADMIN || role == Role.MANAGER;
        assertThat(response.status()).as(response.toString()).isEqualTo(allowed ? 200 : 403);
        if (allowed) {
            assertThat(response.at("/pagination/total").asLong()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"VIEWER", "SALES", "MANAGER", "ADMIN"})
    void everyInternalRoleReadsItsOwnTrail(Role role) {
        String me = unique("self-" + role.wire());
        long mine = insert("lead-1", "update", me, T0);
        insert("lead-1", "update", unique("someone-else"), T0);

        ApiResponse response = api.as(role, me).get(userPath(me));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(ids(response)).containsExactly(mine);
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"VIEWER", "SALES", "MANAGER"})
    void onlyAdminsReadSomeoneElsesTrail(Role role) {
        String other = unique("other");
        insert("lead-1", "update", other, T0);

        ApiResponse denied = api.as(role, unique("me")).get(userPath(other));
        ApiResponse admin = api.as(Role.ADMIN, unique("admin")).get(userPath(other));

        assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
        assertThat(denied.errorCode()).contains("forbidden");
        assertThat(denied.at("/error/message").asString()).isEqualTo("You may only read your own audit trail.");
        assertThat(admin.status()).as(admin.toString()).isEqualTo(200);
        assertThat(admin.at("/pagination/total").asLong()).isEqualTo(1);
    }

    @Test
    void clientsReadNoTrailNotEvenTheirOwn() {
        String me = unique("client");
        insert("lead-1", "update", me, T0);

        ApiResponse response = api.as(Role.CLIENT, me).get(userPath(me));

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).contains("forbidden");
    }

    @Test
    void noTokenIs401() {
        assertThat(api.anonymous().get(LIST).status()).isEqualTo(401);
    }

    // --- filters and order ---------------------------------------------------------------------

    @Test
    void filtersByEntityTypeActionActorAndDatesTogether() {
        long wanted = insert("d-1", "update", "alice", T0);
        insert("d-1", "create", "alice", T0);
        insert("d-1", "update", "bob", T0);
        insert("d-1", "update", "alice", T0.minusSeconds(86_400));
        insert(new Row(type + "x", "d-1", "update", "alice", T0));

        ApiResponse response = asAdmin(LIST, query("entity_type", type, "action", "update", "user_id", "alice",
                "start_date", "2026-03-01", "end_date", "2026-03-01"));

        assertThat(ids(response)).containsExactly(wanted);
        assertThat(response.at("/pagination/total").asLong()).isEqualTo(1);
    }

    @Test
    void aDateEndIncludesThatWholeDayAndADateTimeEndIsExclusive() {
        long dayStart = insert("e", "update", "u", Instant.parse("2026-03-01T00:00:00Z"));
        long dayEnd = insert("e", "update", "u", Instant.parse("2026-03-01T23:59:59.999999Z"));
        insert("e", "update", "u", Instant.parse("2026-03-02T00:00:00Z"));
        insert("e", "update", "u", Instant.parse("2026-02-28T23:59:59.999999Z"));

        assertThat(ids(asAdmin(LIST, query("entity_type", type, "start_date", "2026-03-01", "end_date", "2026-03-01"))))
                .containsExactly(dayEnd, dayStart);
        assertThat(ids(asAdmin(LIST, query("entity_type", type,
                "start_date", "2026-03-01T00:00:00Z", "end_date", "2026-03-01T23:59:59.999999Z"))))
                .containsExactly(dayStart);
        // an offset is honoured: 21:00 at -03:00 is midnight UTC
        assertThat(ids(asAdmin(LIST, query("entity_type", type, "start_date", "2026-02-28T21:00:00-03:00",
                "end_date", "2026-03-02T00:00:00Z"))))
                .containsExactly(dayEnd, dayStart);
    }

    @Test
    void newestFirstWithTiesBrokenByTheNewerId() {
        long oldest = insert("e", "create", "u", T0);
        long tieA = insert("e", "update", "u", T0.plusSeconds(60));
        long newest = insert("e", "update", "u", T0.plusSeconds(120));
        long tieB = insert("e", "update", "u", T0.plusSeconds(60));

        assertThat(ids(asAdmin(LIST, query("entity_type", type)))).containsExactly(newest, tieB, tieA, oldest);
    }

    @Test
    void theEntityRouteReadsOneEntityAndTakesTheOtherFilters() {
        long mine = insert("deal 7/b", "update", "alice", T0);
        long mineEarlier = insert("deal 7/b", "create", "bob", T0.minusSeconds(10));
        insert("deal-8", "update", "alice", T0);

        assertThat(ids(asAdmin(entityPath(type, "deal 7/b"), query()))).containsExactly(mine, mineEarlier);
        assertThat(ids(api.as(Role.MANAGER, "m").get(entityPath(type, "deal 7/b"), query("user_id", "bob", "action", "create"))))
                .containsExactly(mineEarlier);
    }

    @Test
    void theUserRouteReadsWhatOneActorDid() {
        String actor = unique("actor");
        long a = insert("l-1", "update", actor, T0);
        long b = insert(new Row(type + "y", "d-1", "delete", actor, T0.plusSeconds(1)));
        insert("l-1", "update", unique("other"), T0.plusSeconds(2));

        assertThat(ids(asAdmin(userPath(actor), query()))).containsExactly(b, a);
        assertThat(ids(asAdmin(userPath(actor), query("entity_type", type)))).containsExactly(a);
    }

    // --- paging --------------------------------------------------------------------------------

    /** Inserts {@code count} updates one second apart from T0; their ids, newest first. */
    private List<Long> insertUpdatesNewestFirst(int count) {
        List<Long> inserted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inserted.add(insert("e", "update", "u", T0.plusSeconds(i)));
        }
        return inserted.reversed();
    }

    @Test
    void limitAndOffsetPageThroughTheMatches() {
        List<Long> newestFirst = insertUpdatesNewestFirst(5);

        ApiResponse second = asAdmin(LIST, query("entity_type", type, "limit", 2, "offset", 2));
        ApiResponse last = asAdmin(LIST, query("entity_type", type, "limit", 2, "offset", 4));

        assertThat(ids(second)).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(second.at("/pagination/total").asLong()).isEqualTo(5);
        assertThat(second.at("/pagination/limit").asInt()).isEqualTo(2);
        assertThat(second.at("/pagination/offset").asInt()).isEqualTo(2);
        assertThat(second.at("/pagination/next_cursor").isString()).isTrue();
        assertThat(ids(last)).containsExactly(newestFirst.get(4));
        assertThat(last.at("/pagination/next_cursor").isNull()).isTrue();
    }

    @Test
    void aCursorWalksTheWholeLogWithoutRepeatsOrGapsWhileNewEntriesArrive() {
        List<Long> inserted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // equal times in pairs: page boundaries fall inside ties
            inserted.add(insert("e", "update", "u", T0.plusSeconds(i / 2)));
        }
        List<Long> seen = new ArrayList<>();
        List<Long> newerThanThePage = new ArrayList<>();
        long lateButOlder = 0;

        ApiResponse page = asAdmin(LIST, query("entity_type", type, "limit", 3));
        seen.addAll(ids(page));
        while (!page.at("/pagination/next_cursor").isNull()) {
            // arriving between pages: a newer entry, and one at the time of the page's last entry
            // (a higher id, so it sorts before that entry): neither belongs to the pages still to come
            Instant lastSeen = Instant.parse(page.at("/items/" + (page.at("/items").size() - 1) + "/occurred_at").asString());
            newerThanThePage.add(insert("e", "update", "u", T0.plusSeconds(3_600 + seen.size())));
            newerThanThePage.add(insert("e", "update", "u", lastSeen));
            if (lateButOlder == 0) {
                // an entry that arrives late but happened before everything: it belongs at the end
                lateButOlder = insert("e", "update", "u", T0.minusSeconds(3_600));
            }
            page = asAdmin(LIST, query("entity_type", type, "limit", 3, "cursor", page.at("/pagination/next_cursor").asString()));
            assertThat(page.at("/pagination/offset").isNull()).as(page.toString()).isTrue();
            assertThat(page.at("/pagination/limit").asInt()).isEqualTo(3);
            seen.addAll(ids(page));
        }

        List<Long> expected = new ArrayList<>(inserted.reversed());
        expected.add(lateButOlder);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(newerThanThePage).hasSize(4);
        assertThat(page.at("/pagination/total").asLong()).isEqualTo(8 + newerThanThePage.size());
        // a fresh first page shows the newcomers first
        assertThat(ids(asAdmin(LIST, query("entity_type", type, "limit", 1)))).containsExactly(newerThanThePage.get(2));
    }

    @Test
    void aCursorKeepsWorkingWithAnotherPageSizeAndAfterAnOffsetPage() {
        List<Long> newestFirst = insertUpdatesNewestFirst(6);

        ApiResponse byOffset = asAdmin(LIST, query("entity_type", type, "limit", 2, "offset", 1));
        ApiResponse next = asAdmin(LIST, query("entity_type", type, "limit", 10,
                "cursor", byOffset.at("/pagination/next_cursor").asString()));

        assertThat(ids(byOffset)).containsExactlyElementsOf(newestFirst.subList(1, 3));
        assertThat(ids(next)).containsExactlyElementsOf(newestFirst.subList(3, 6));
        assertThat(next.at("/pagination/next_cursor").isNull()).isTrue();
    }

    @Test
    void theEntityRoutePagesWithCursorsToo() {
        for (int i = 0; i < 3; i++) {
            insert("deal-1", "update", "u", T0.plusSeconds(i));
        }
        ApiResponse first = asAdmin(entityPath(type, "deal-1"), query("limit", 2));
        ApiResponse second = asAdmin(entityPath(type, "deal-1"), query("limit", 2, "cursor", first.at("/pagination/next_cursor").asString()));

        assertThat(ids(first)).hasSize(2);
        assertThat(ids(second)).hasSize(1).doesNotContainAnyElementsOf(ids(first));
        assertThat(second.at("/pagination/next_cursor").isNull()).isTrue();
    }

    // --- 422 -----------------------------------------------------------------------------------

    @Test
    void aCursorUsedWithOtherFiltersIs422() {
        insert("e", "update", "u", T0);
        insert("e", "update", "u", T0.plusSeconds(1));
        String cursor = asAdmin(LIST, query("entity_type", type, "limit", 1)).at("/pagination/next_cursor").asString();

        assertThat(fields(api.as(Role.ADMIN, "a").get(LIST, query("entity_type", type, "action", "update", "cursor", cursor))))
                .containsExactly("cursor");
        assertThat(fields(api.as(Role.ADMIN, "a").get(LIST, query("cursor", cursor)))).containsExactly("cursor");
        assertThat(fields(api.as(Role.ADMIN, "a").get(entityPath(type, "e"), query("cursor", cursor)))).containsExactly("cursor");
    }

    @Test
    void aCursorTogetherWithAnOffsetIs422() {
        insert("e", "update", "u", T0);
        insert("e", "update", "u", T0.plusSeconds(1));
        String cursor = asAdmin(LIST, query("entity_type", type, "limit", 1)).at("/pagination/next_cursor").asString();

        assertThat(fields(api.as(Role.ADMIN, "a").get(LIST, query("entity_type", type, "cursor", cursor, "offset", 0))))
                .containsExactly("offset");
    }

    @Test
    void aGarbledCursorIs422() {
        assertThat(fields(api.as(Role.ADMIN, "a").get(LIST, query("cursor", "not-a-cursor")))).containsExactly("cursor");
    }

    @Test
    void everyBadFilterIsReportedOnceWithItsField() {
        ApiResponse response = api.as(Role.ADMIN, "a").get(LIST, query(
                "entity_type", "Lead Type", "action", "DROP TABLE", "start_date", "yesterday",
                "end_date", "2026-03-01T10:00:00", "limit", 500, "offset", -1));

        assertThat(fields(response)).containsExactly("entity_type", "action", "start_date", "end_date", "limit", "offset");
    }

    @Test
    void startAfterEndIs422() {
        assertThat(details(api.as(Role.ADMIN, "a").get(LIST, query("start_date", "2026-03-02", "end_date", "2026-03-01"))))
                .extracting(FieldError::field).containsExactly("end_date");
    }

    @Test
    void limitMustBeFrom1To200() {
        assertThat(fields(api.as(Role.ADMIN, "a").get(LIST, query("limit", 0)))).containsExactly("limit");
        assertThat(fields(api.as(Role.ADMIN, "a").get(LIST, query("limit", 201)))).containsExactly("limit");
        assertThat(asAdmin(LIST, query("entity_type", type, "limit", 200)).at("/pagination/limit").asInt()).isEqualTo(200);
    }

    @Test
    void aBadEntityTypeInThePathIs422() {
        assertThat(fields(api.as(Role.MANAGER, "m").get(entityPath("Not A Type", "x")))).containsExactly("entity_type");
    }

    @Test
    void aFilterThePathAlreadySetsIs422() {
        assertThat(fields(api.as(Role.MANAGER, "m").get(entityPath(type, "x"), query("entity_type", type))))
                .containsExactly("entity_type");
    }
}
