package dev.pipedesk.local.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.testing.ApiClient;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import dev.pipedesk.postgres.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The unified timeline through the local stack (gateway, authorizer, timeline function connected
 * as {@code pipedesk_timeline_reader}, PostgreSQL): a meeting created through the API, its audit
 * entry (outbox, SQS, audit-writer) and an e-mail logged with plain SQL, in one feed.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class TimelineStackTest {
    private static final String EVENTS = "/api/calendar/events";
    private static final Duration PIPELINE_WAIT = Duration.ofSeconds(60);

    private final LocalStack stack = LocalStackExtension.stack();
    private final ApiClient sales = LocalStackExtension.api().as(Role.SALES, "timeline-sales");
    private final ApiClient viewer = LocalStackExtension.api().as(Role.VIEWER, "timeline-viewer");

    @BeforeEach
    void requireTheFunctions() {
        LocalStackExtension.requireFunction("timeline");
        LocalStackExtension.requireFunction("calendar");
        LocalStackExtension.requireFunction("audit-writer");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String logEmail(String deal, Instant sentAt) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = stack.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into crm_emails (id, message_id, direction, from_address, to_addresses, subject, sent_at,
                                        entity_type, entity_id, logged_by)
                values (?, ?, 'inbound', 'buyer@example.com', array['timeline-sales@pipedesk.local'], 'Our offer', ?,
                        'deal', ?, 'timeline-sales')""")) {
            ps.setObject(1, UUID.fromString(id));
            ps.setString(2, "<" + id + "@mail.example.com>");
            ps.setObject(3, OffsetDateTime.ofInstant(sentAt, ZoneOffset.UTC));
            ps.setString(4, deal);
            ps.executeUpdate();
        }
        return id;
    }

    private long auditIdOf(String entityType, String entityId, String action) throws SQLException {
        try (Connection c = stack.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id from audit_logs where entity_type = ? and entity_id = ? and action = ?")) {
            ps.setString(1, entityType);
            ps.setString(2, entityId);
            ps.setString(3, action);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static List<String> ids(ApiResponse page) {
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    @Test
    void aViewerReadsADealsMeetingItsAuditEntryAndItsEmailInOneFeed() throws Exception {
        String deal = unique("timeline-deal");
        Instant start = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Map<String, Object> body = new HashMap<>();
        body.put("summary", "Timeline demo");
        body.put("start_time", start.toString());
        body.put("end_time", start.plus(1, ChronoUnit.HOURS).toString());
        body.put("create_meet_link", false);
        body.put("entity_type", "deal");
        body.put("entity_id", deal);
        ApiResponse created = sales.post(EVENTS, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String meeting = created.at("/id").asString();
        String email = logEmail(deal, Instant.parse("2026-03-01T09:30:00Z"));
        String path = "/api/timeline/deal/" + deal;

        // The meeting's audit entry arrives through the outbox, SQS and the audit-writer.
        await().atMost(PIPELINE_WAIT).until(() -> auditIdOf("calendar_event", meeting, "create") > 0);
        long meetingCreated = auditIdOf("calendar_event", meeting, "create");
        ApiResponse page = viewer.get(path);

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(ids(page)).containsExactly("meeting:" + meeting, "audit:" + meetingCreated, "email:" + email);
        JsonNode items = page.json().get("items");
        assertThat(items.get(0).get("type").asString()).isEqualTo("meeting");
        assertThat(Instant.parse(items.get(0).get("timestamp").asString())).isEqualTo(start);
        assertThat(items.get(1).get("type").asString()).isEqualTo("audit");
        assertThat(items.get(2).get("type").asString()).isEqualTo("email");
        assertThat(page.at("/pagination/total").asLong()).isEqualTo(3);
        assertThat(page.at("/pagination/next_cursor").isNull()).isTrue();
        assertThat(page.at("/degraded").size()).isZero();

        String etag = page.header("ETag").orElseThrow();
        ApiResponse unchanged = viewer.header("If-None-Match", etag).get(path);
        assertThat(unchanged.status()).as(unchanged.toString()).isEqualTo(304);
        assertThat(unchanged.header("ETag")).contains(etag);

        ApiResponse byType = viewer.get(path, Map.of("types", "email,meeting", "limit", 1));
        assertThat(ids(byType)).containsExactly("meeting:" + meeting);
        ApiResponse next = viewer.get(path, Map.of("types", "email,meeting", "limit", 1,
                "cursor", byType.at("/pagination/next_cursor").asString()));
        assertThat(ids(next)).containsExactly("email:" + email);
        assertThat(next.at("/pagination/total").asLong()).isEqualTo(2);
    }

    @Test
    void aBadQueryIs422AndAnUnknownEntityTypeToo() {
        ApiResponse response = viewer.get("/api/timeline/account/a-1", Map.of("since", "2026-03-01"));

        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        response.at("/error/details").forEach(detail -> fields.add(detail.get("field").asString()));
        assertThat(fields).containsExactly("entity_type", "since");
    }

    @Test
    void theTimelineFunctionConnectsAsItsReadOnlyRole() throws Exception {
        DatabaseSettings reader = stack.timelineReaderDatabaseSettings();

        assertThat(reader.user()).isEqualTo(LocalStack.TIMELINE_READER_ROLE);
        try (Connection c = DriverManager.getConnection(reader.jdbcUrl(), reader.user(), reader.password());
             Statement statement = c.createStatement()) {
            try (ResultSet rs = statement.executeQuery("select current_user, (select count(*) from crm_emails) >= 0")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("pipedesk_timeline_reader");
                assertThat(rs.getBoolean(2)).isTrue();
            }
            assertThatThrownBy(() -> statement.executeUpdate("delete from crm_emails"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeQuery("select count(*) from audit_outbox"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }
}
