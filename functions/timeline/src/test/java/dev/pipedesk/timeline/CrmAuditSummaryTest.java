package dev.pipedesk.timeline;

import static dev.pipedesk.timeline.AuditRows.captured;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.email.EmailAudit;
import dev.pipedesk.postgres.AuditLogEntry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Summaries, details and users of the audit entries about leads and deals (the V3 database
 * capture: create, update, status_change, delete; source "database") and e-mails (EmailAudit:
 * create, unlink), and the generic summary of anything else.
 */
class CrmAuditSummaryTest {
    private static final String LEAD_ID = "6a1b8f0e-3c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String DEAL_ID = "9d8c7b6a-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    private static final String LEAD = """
            {"id": "%s", "name": "Ada Lovelace", "email": "ada@analytical.example", "phone": null,
             "company": "Analytical Engines", "status": "%s", "source": "web", "value": %s, "owner_id": "u-1",
             "notes": null, "created_at": "2026-05-01T09:00:00.123456+00:00", "updated_at": "2026-05-21T10:15:30.1+00:00"}""";
    private static final String DEAL = """
            {"id": "%s", "title": "Engines for the Navy", "lead_id": "%s", "stage": "%s", "amount": 250000.00,
             "currency": "USD", "expected_close_date": "2026-09-30", "owner_id": "u-1",
             "created_at": "2026-05-01T09:00:00.123456+00:00", "updated_at": "2026-05-21T10:15:30.1+00:00"}""";

    private static String lead(String status, String value) {
        return LEAD.formatted(LEAD_ID, status, value);
    }

    private static String deal(String stage) {
        return DEAL.formatted(DEAL_ID, LEAD_ID, stage);
    }

    private static String summary(AuditLogEntry entry) {
        return TimelineEntries.ofAudit(entry).summary();
    }

    @Test
    void leadCreateNamesTheLead() {
        assertThat(summary(captured("lead", LEAD_ID, "create", "u-1", null, lead("new", "1500.50"), null)))
                .isEqualTo("Lead created: Ada Lovelace");
    }

    @Test
    void dealCreateNamesTheDealByItsTitle() {
        assertThat(summary(captured("deal", DEAL_ID, "create", "u-1", null, deal("qualification"), null)))
                .isEqualTo("Deal created: Engines for the Navy");
    }

    @Test
    void leadUpdateListsTheChangedColumnsSorted() {
        String changes = """
                {"value": {"old": 1500.50, "new": 2500.75}, "owner_id": {"old": "u-1", "new": "u-2"},
                 "email": {"old": "ada@analytical.example", "new": null}}""";

        assertThat(summary(captured("lead", LEAD_ID, "update", "u-1", lead("new", "1500.50"), lead("new", "2500.75"), changes)))
                .isEqualTo("Updated: email, owner_id, value");
    }

    @Test
    void dealUpdateListsTheChangedColumnsSorted() {
        String changes = """
                {"expected_close_date": {"old": "2026-09-30", "new": "2026-10-31"}, "amount": {"old": 250000.00, "new": 300000}}""";

        assertThat(summary(captured("deal", DEAL_ID, "update", "u-1", deal("proposal"), deal("proposal"), changes)))
                .isEqualTo("Updated: amount, expected_close_date");
    }

    @Test
    void leadStatusChangeSaysFromWhatToWhat() {
        String changes = """
                {"status": {"old": "new", "new": "qualified"}}""";

        assertThat(summary(captured("lead", LEAD_ID, "status_change", "u-1", lead("new", "1"), lead("qualified", "1"), changes)))
                .isEqualTo("Status changed: new → qualified");
    }

    @Test
    void aStatusChangeNamesTheOtherColumnsChangedWithIt() {
        String changes = """
                {"value": {"old": 1, "new": 900}, "status": {"old": "contacted", "new": "qualified"}, "notes": {"old": null, "new": "Call back"}}""";

        assertThat(summary(captured("lead", LEAD_ID, "status_change", "u-1", lead("contacted", "1"), lead("qualified", "900"), changes)))
                .isEqualTo("Status changed: contacted → qualified (also updated: notes, value)");
    }

    @Test
    void dealStageChangeSaysStageChanged() {
        String changes = """
                {"stage": {"old": "proposal", "new": "won"}}""";

        assertThat(summary(captured("deal", DEAL_ID, "status_change", "u-1", deal("proposal"), deal("won"), changes)))
                .isEqualTo("Stage changed: proposal → won");
    }

    @Test
    void leadDeleteNamesTheLeadItRemoved() {
        assertThat(summary(captured("lead", LEAD_ID, "delete", "system:db:crm_admin", lead("unqualified", "null"), null, null)))
                .isEqualTo("Lead deleted: Ada Lovelace");
    }

    @Test
    void dealDeleteNamesTheDealItRemoved() {
        assertThat(summary(captured("deal", DEAL_ID, "delete", "u-1", deal("lost"), null, null)))
                .isEqualTo("Deal deleted: Engines for the Navy");
    }

    @Test
    void aLongStatusValueIsCutAtSixtyCharacters() {
        String changes = """
                {"status": {"old": "new", "new": "%s"}}""".formatted("q".repeat(80));

        assertThat(summary(captured("lead", LEAD_ID, "status_change", "u-1", null, null, changes)))
                .isEqualTo("Status changed: new → " + "q".repeat(60) + "…");
    }

    @Test
    void aNullOldValueIsSaidAsNone() {
        String changes = """
                {"stage": {"old": null, "new": "won"}}""";

        assertThat(summary(captured("deal", DEAL_ID, "status_change", "u-1", null, null, changes)))
                .isEqualTo("Stage changed: none → won");
    }

    private static AuditLogEntry email(String action, String subject) {
        JsonNode email = Json.MAPPER.createObjectNode()
                .put("id", "e-1").put("message_id", "<m-1@mail.example>").put("direction", "inbound")
                .put("from", "ana@client.example").put("subject", subject);
        boolean logged = action.equals(EmailAudit.LOGGED);
        return AuditRows.stored(new AuditEvent(1, "1c4f0d2e-9b8a-4c7d-8e6f-5a4b3c2d1e0f", EmailAudit.ENTITY_TYPE, "e-1",
                action, AuditEvent.Actor.user("u-1"), AuditRows.AT, logged ? null : email, logged ? email : null, null,
                "calendar", "req-1", "203.0.113.7", "curl/8.5"));
    }

    @Test
    void emailLoggedNamesItsSubject() {
        assertThat(summary(email(EmailAudit.LOGGED, "Proposal v2"))).isEqualTo("E-mail logged: Proposal v2");
    }

    @Test
    void emailUnlinkedNamesItsSubject() {
        assertThat(summary(email(EmailAudit.UNLINKED, "Proposal v2"))).isEqualTo("E-mail unlinked: Proposal v2");
    }

    @Test
    void anEmailWithoutSubjectSaysSo() {
        assertThat(summary(email(EmailAudit.LOGGED, ""))).isEqualTo("E-mail logged: (no subject)");
    }

    @Test
    void anotherEntityTypeGetsTheGenericSummaryWithItsChangedFields() {
        String changes = """
                {"phone": {"old": null, "new": "+55 11 5555-0000"}, "email": {"old": "a@x.example", "new": "b@x.example"}}""";

        assertThat(summary(captured("contact_person", "c-1", "update", "u-1", "{}", "{}", changes)))
                .isEqualTo("Contact person updated: email, phone");
        assertThat(summary(captured("invoice", "i-1", "create", "u-1", null, "{}", null))).isEqualTo("Invoice created");
    }

    @Test
    void anotherActionOnALeadGetsTheGenericSummary() {
        assertThat(summary(captured("lead", LEAD_ID, "merge_into", "u-1", lead("new", "1"), null, null)))
                .isEqualTo("Lead merge into");
    }

    @Test
    void detailsHoldTheEntityTheActionTheSourceAndTheChangesAsStoredButNoRequestOrigin() {
        String changes = """
                {"status": {"old": "new", "new": "qualified"}}""";
        AuditLogEntry entry = captured("lead", LEAD_ID, "status_change", "u-1", lead("new", "1"), lead("qualified", "1"), changes);

        TimelineEntryView view = TimelineEntries.ofAudit(entry);

        assertThat(view.id()).isEqualTo("audit:812");
        assertThat(view.type()).isEqualTo("audit");
        assertThat(view.timestamp()).hasToString("2026-05-21T10:15:30.123Z");
        assertThat(view.detailsJson()).isEqualTo(Json.MAPPER.readTree("""
                {"entity_type": "lead", "entity_id": "%s", "action": "status_change", "source": "database",
                 "changes": {"status": {"old": "new", "new": "qualified"}}}""".formatted(LEAD_ID)));
    }

    @Test
    void detailsNeverCarryTheStoredIpOrUserAgent() {
        TimelineEntryView view = TimelineEntries.ofAudit(email(EmailAudit.LOGGED, "Proposal"));

        assertThat(view.detailsJson().propertyNames()).containsExactly("entity_type", "entity_id", "action", "source", "changes");
        assertThat(Json.write(view)).doesNotContain("203.0.113.7").doesNotContain("curl/8.5");
        assertThat(view.detailsJson().get("changes").isNull()).isTrue();
    }

    @Test
    void theUserIsTheActorIdWithoutAnEmailSystemActorsIncluded() {
        assertThat(TimelineEntries.ofAudit(captured("lead", LEAD_ID, "create", "u-1", null, lead("new", "1"), null)).user())
                .isEqualTo(new TimelineEntryView.User("u-1", null));
        assertThat(TimelineEntries.ofAudit(captured("lead", LEAD_ID, "delete", "system:db:crm_admin", lead("new", "1"), null, null)).user())
                .isEqualTo(new TimelineEntryView.User("system:db:crm_admin", null));
        assertThat(Json.write(TimelineEntries.ofAudit(AuditRows.meetingCreated("sync_create", Meetings.kickoff()))))
                .contains("\"user\":{\"id\":\"system:google-sync\",\"email\":null}");
    }
}
