package dev.pipedesk.local.emails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The e-mail routes through the local stack (gateway, authorizer, calendar function, PostgreSQL,
 * the audit outbox, SQS and the audit-writer, then the audit-log API of the timeline function):
 * log, replay, conflict, list, unlink by whom, and the audit trail. Every response is checked
 * against the OpenAPI document by the client. Each test logs messages and entities of its own.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class EmailFlowTest {
    private static final String EMAILS = "/api/emails";
    private static final Duration PIPELINE_WAIT = Duration.ofSeconds(60);

    private final Api api = LocalStackExtension.api();
    private String deal;

    @BeforeEach
    void uniqueEntity() {
        LocalStackExtension.requireFunction("calendar");
        deal = "deal-" + UUID.randomUUID();
    }

    private static Map<String, Object> email(String messageId, String entityType, String entityId, String sentAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message_id", messageId);
        body.put("thread_id", "<thread-" + messageId + ">");
        body.put("direction", "inbound");
        body.put("from", "Buyer@Example.com");
        body.put("to", List.of("sales@pipedesk.local"));
        body.put("cc", List.of("procurement@example.com"));
        body.put("subject", "Re: Proposal");
        body.put("snippet", "Two questions about the rollout");
        body.put("sent_at", sentAt);
        body.put("entity_type", entityType);
        body.put("entity_id", entityId);
        return body;
    }

    private static String messageId() {
        return "<" + UUID.randomUUID() + "@mail.example.com>";
    }

    private ApiResponse log(String userId, Map<String, Object> body) {
        return api.as(Role.SALES, userId).post(EMAILS, body);
    }

    private String logged(String userId, Map<String, Object> body) {
        ApiResponse created = log(userId, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.at("/id").asString();
    }

    private ApiResponse list(Role role, Map<String, Object> query) {
        Map<String, Object> all = new LinkedHashMap<>(Map.of("entity_type", "deal", "entity_id", deal));
        all.putAll(query);
        return api.as(role, "email-" + role.wire()).get(EMAILS, all);
    }

    @Test
    void logsAnEmailAReplayIs200AndAnotherEntityIs409() {
        String messageId = messageId();
        ApiResponse created = log("email-sales-1", email(messageId, "deal", deal, "2030-01-14T16:05:00-03:00"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.at("/from").asString()).isEqualTo("buyer@example.com");
        assertThat(created.at("/sent_at").asString()).isEqualTo("2030-01-14T19:05:00Z");
        assertThat(created.at("/logged_by").asString()).isEqualTo("email-sales-1");
        String id = created.at("/id").asString();

        ApiResponse replay = log("email-sales-2", email(messageId, "deal", deal, "2030-01-14T16:05:00-03:00"));
        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        assertThat(replay.at("/id").asString()).isEqualTo(id);
        assertThat(replay.at("/logged_by").asString()).isEqualTo("email-sales-1");

        ApiResponse conflict = log("email-sales-1", email(messageId, "lead", "lead-1", "2030-01-14T16:05:00-03:00"));
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.errorCode()).contains("conflict");
        assertThat(conflict.at("/error/details/email_id").asString()).isEqualTo(id);
        assertThat(conflict.at("/error/details/entity_type").asString()).isEqualTo("deal");
        assertThat(conflict.at("/error/details/entity_id").asString()).isEqualTo(deal);
    }

    @Test
    void anInvalidEmailIs422WithEveryProblem() {
        Map<String, Object> body = email(messageId(), "deal", deal, "2030-01-14T16:05:00");
        body.put("from", "not-an-address");
        body.put("subject", "a\u0000b");

        ApiResponse refused = log("email-sales-1", body);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.errorCode()).contains("validation_failed");
        List<String> fields = new ArrayList<>();
        refused.at("/error/details").forEach(detail -> fields.add(detail.path("field").asString()));
        assertThat(fields).containsExactly("subject");
        body.put("subject", "fine");
        ApiResponse again = log("email-sales-1", body);
        List<String> more = new ArrayList<>();
        again.at("/error/details").forEach(detail -> more.add(detail.path("field").asString()));
        assertThat(more).containsExactlyInAnyOrder("from", "sent_at");
    }

    @Test
    void aViewerListsTheDealsEmailsNewestFirstPageByPageAndAClientGets403() {
        List<String> newestFirst = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            newestFirst.addFirst(logged("email-sales-1",
                    email(messageId(), "deal", deal, "2030-01-0" + day + "T10:00:00Z")));
        }

        List<String> walked = new ArrayList<>();
        Map<String, Object> query = new LinkedHashMap<>(Map.of("limit", 2));
        while (true) {
            ApiResponse page = list(Role.VIEWER, query);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.at("/pagination/total").asLong()).isEqualTo(3);
            page.at("/items").forEach(item -> walked.add(item.path("id").asString()));
            JsonNode next = page.at("/pagination/next_cursor");
            if (next.isNull()) {
                break;
            }
            query.put("cursor", next.asString());
        }
        assertThat(walked).containsExactlyElementsOf(newestFirst);

        ApiResponse client = list(Role.CLIENT, Map.of());
        assertThat(client.status()).as(client.toString()).isEqualTo(403);
        ApiResponse foreignCursor = api.as(Role.VIEWER, "email-viewer").get(EMAILS,
                Map.of("entity_type", "deal", "entity_id", "another-deal", "cursor", query.getOrDefault("cursor", "x")));
        assertThat(foreignCursor.status()).as(foreignCursor.toString()).isEqualTo(422);
    }

    @Test
    void theLoggerOrAManagerUnlinksAnotherSalesUserGets403AndTheAuditTrailShowsCreateAndUnlink() {
        String byOwner = logged("email-sales-1", email(messageId(), "deal", deal, "2030-01-05T10:00:00Z"));
        String byManager = logged("email-sales-1", email(messageId(), "deal", deal, "2030-01-06T10:00:00Z"));

        ApiResponse other = api.as(Role.SALES, "email-sales-2").delete(EMAILS + "/" + byOwner);
        assertThat(other.status()).as(other.toString()).isEqualTo(403);
        ApiResponse owner = api.as(Role.SALES, "email-sales-1").delete(EMAILS + "/" + byOwner);
        assertThat(owner.status()).as(owner.toString()).isEqualTo(200);
        assertThat(owner.at("/unlinked_by").asString()).isEqualTo("email-sales-1");
        ApiResponse manager = api.as(Role.MANAGER, "email-manager").delete(EMAILS + "/" + byManager);
        assertThat(manager.status()).as(manager.toString()).isEqualTo(200);
        assertThat(manager.at("/unlinked_by").asString()).isEqualTo("email-manager");
        assertThat(api.as(Role.MANAGER, "email-manager").delete(EMAILS + "/" + UUID.randomUUID()).status())
                .isEqualTo(404);
        assertThat(list(Role.VIEWER, Map.of()).at("/pagination/total").asLong()).isZero();

        LocalStackExtension.requireFunction("timeline");
        LocalStackExtension.requireFunction("audit-writer");
        for (String id : List.of(byOwner, byManager)) {
            List<String> actions = await("the audit trail of e-mail " + id).atMost(PIPELINE_WAIT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> actionsOf(id), trail -> trail.size() >= 2);
            assertThat(actions).containsExactly("unlink", "create");
        }
    }

    /** The actions of the e-mail's audit trail, newest first, read through the audit-log API. */
    private List<String> actionsOf(String emailId) {
        ApiResponse trail = api.as(Role.ADMIN, "email-admin").get("/api/audit-logs/entity/email/" + emailId);
        assertThat(trail.status()).as(trail.toString()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        trail.at("/items").forEach(item -> actions.add(item.path("action").asString()));
        return actions;
    }
}
