package dev.pipedesk.timeline;

import static dev.pipedesk.timeline.AuditRows.captured;
import static dev.pipedesk.timeline.Meetings.kickoff;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.core.calendar.EventView;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.postgres.AuditLogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Meeting and e-mail entries, and what makes every summary deterministic. */
class TimelineEntriesTest {
    private static final Instant SENT = Instant.parse("2026-05-22T13:45:00Z");

    private static CrmEmail email(EmailDirection direction, String from, List<String> to, List<String> cc, String subject) {
        return new CrmEmail("7e3d9c1a-2b4f-4e6d-8a0c-1f2e3d4c5b6a", "<m-42@mail.example>", "t-42", direction, from, to, cc,
                subject, "Please find attached…", SENT, EntityType.DEAL, "d-1", "u-7", SENT.plusSeconds(60), null, null);
    }

    @Test
    void aMeetingEntryIsTheMeetingAtItsStartAsTheCalendarRoutesShowIt() {
        CalendarEvent meeting = kickoff();

        TimelineEntryView view = TimelineEntries.ofMeeting(meeting, false);

        assertThat(view.id()).isEqualTo("meeting:" + meeting.id());
        assertThat(view.type()).isEqualTo("meeting");
        assertThat(view.timestamp()).hasToString("2026-06-02T15:00Z");
        assertThat(view.summary()).isEqualTo("Meeting: Kickoff");
        assertThat(view.detailsJson()).isEqualTo(Json.MAPPER.valueToTree(EventView.of(meeting, false)));
        assertThat(view.detailsJson().get("attendees")).hasSize(2);
        assertThat(view.detailsJson().get("description").asString()).isEqualTo("Agenda: scope and budget");
        assertThat(view.user()).isEqualTo(new TimelineEntryView.User("u-1", null));
    }

    @Test
    void aRedactedMeetingEntryHidesWhatTheCalendarRoutesHideFromAClient() {
        CalendarEvent meeting = kickoff();

        TimelineEntryView view = TimelineEntries.ofMeeting(meeting, true);

        assertThat(view.detailsJson()).isEqualTo(Json.MAPPER.valueToTree(EventView.of(meeting, true)));
        assertThat(view.detailsJson().get("description").isNull()).isTrue();
        assertThat(view.detailsJson().get("meet_link").isNull()).isTrue();
        assertThat(view.detailsJson().get("attendees")).isEmpty();
        String json = Json.write(view);
        assertThat(json).doesNotContain("Agenda").doesNotContain("meet.google.com").doesNotContain("ana@client.example");
        assertThat(view.summary()).isEqualTo("Meeting: Kickoff");
        assertThat(view.user()).isEqualTo(new TimelineEntryView.User("u-1", null));
    }

    @Test
    void aMeetingWithoutTitleOrCancelledSaysSo() {
        assertThat(TimelineEntries.ofMeeting(Meetings.titled(kickoff(), null), false).summary()).isEqualTo("Meeting: (no title)");
        assertThat(TimelineEntries.ofMeeting(Meetings.withStatus(kickoff(), EventStatus.CANCELLED), false).summary())
                .isEqualTo("Cancelled meeting: Kickoff");
    }

    @Test
    void anInboundEmailSaysWhoItIsFrom() {
        CrmEmail email = email(EmailDirection.INBOUND, "ana@client.example", List.of("sales@pipedesk.dev"), List.of(), "Re: proposal");

        assertThat(TimelineEntries.ofEmail(email).summary()).isEqualTo("E-mail from ana@client.example: Re: proposal");
    }

    @Test
    void anOutboundEmailNamesItsFirstRecipientAndCountsTheOthers() {
        assertThat(TimelineEntries.ofEmail(email(EmailDirection.OUTBOUND, "sales@pipedesk.dev",
                List.of("ana@client.example", "bo@client.example", "cy@client.example"), List.of("boss@pipedesk.dev"),
                "Proposal")).summary()).isEqualTo("E-mail to ana@client.example (+2): Proposal");
        assertThat(TimelineEntries.ofEmail(email(EmailDirection.OUTBOUND, "sales@pipedesk.dev",
                List.of("ana@client.example"), List.of(), "Proposal")).summary()).isEqualTo("E-mail to ana@client.example: Proposal");
        assertThat(TimelineEntries.ofEmail(email(EmailDirection.OUTBOUND, "sales@pipedesk.dev",
                List.of(), List.of("bo@client.example"), "Proposal")).summary()).isEqualTo("E-mail to bo@client.example: Proposal");
    }

    @Test
    void anEmailWithoutSubjectSaysSoAndALongOneIsCut() {
        assertThat(TimelineEntries.ofEmail(email(EmailDirection.INBOUND, "ana@client.example", List.of(), List.of(), null))
                .summary()).isEqualTo("E-mail from ana@client.example: (no subject)");
        assertThat(TimelineEntries.ofEmail(email(EmailDirection.INBOUND, "ana@client.example", List.of(), List.of(),
                "s".repeat(150))).summary()).isEqualTo("E-mail from ana@client.example: " + "s".repeat(100) + "…");
    }

    @Test
    void anEmailEntryCarriesTheMessageAndWhoLoggedIt() {
        CrmEmail email = email(EmailDirection.OUTBOUND, "sales@pipedesk.dev", List.of("ana@client.example"),
                List.of("boss@pipedesk.dev"), "Proposal");

        TimelineEntryView view = TimelineEntries.ofEmail(email);

        assertThat(view.id()).isEqualTo("email:7e3d9c1a-2b4f-4e6d-8a0c-1f2e3d4c5b6a");
        assertThat(view.type()).isEqualTo("email");
        assertThat(view.timestamp()).hasToString("2026-05-22T13:45Z");
        assertThat(view.detailsJson()).isEqualTo(Json.MAPPER.readTree("""
                {"message_id": "<m-42@mail.example>", "thread_id": "t-42", "direction": "outbound",
                 "from": "sales@pipedesk.dev", "to": ["ana@client.example"], "cc": ["boss@pipedesk.dev"],
                 "subject": "Proposal", "snippet": "Please find attached…"}"""));
        assertThat(view.user()).isEqualTo(new TimelineEntryView.User("u-7", null));
        assertThat(Json.write(view)).contains("\"user\":{\"id\":\"u-7\",\"email\":null}");
    }

    @Test
    void theChangedFieldsAreListedInTheSameOrderWhateverTheStoredKeyOrder() {
        String oneOrder = """
                {"value": {"old": 1, "new": 2}, "email": {"old": null, "new": "a@x.example"}, "company": {"old": "A", "new": "B"}}""";
        String otherOrder = """
                {"company": {"old": "A", "new": "B"}, "email": {"old": null, "new": "a@x.example"}, "value": {"old": 1, "new": 2}}""";

        String one = TimelineEntries.ofAudit(captured("lead", "l-1", "update", "u-1", "{}", "{}", oneOrder)).summary();
        String other = TimelineEntries.ofAudit(captured("lead", "l-1", "update", "u-1", "{}", "{}", otherOrder)).summary();

        assertThat(one).isEqualTo("Updated: company, email, value").isEqualTo(other);
    }

    @Test
    void summariesDoNotDependOnTheMachinesLocaleOrTimeZone() {
        CalendarEvent before = kickoff();
        AuditLogEntry moved = AuditRows.meetingChanged("sync_update", before,
                Meetings.timed(before, Instant.parse("2026-01-31T23:30:00Z"), Instant.parse("2026-02-01T00:30:00Z")));
        AuditLogEntry contact = captured("contact_info", "c-1", "status_change", "u-1", "{}", "{}", """
                {"tier": {"old": "I", "new": "II"}}""");
        CrmEmail email = email(EmailDirection.INBOUND, "ana@client.example", List.of(), List.of(), "Hi");
        Supplier<List<String>> summaries = () -> List.of(TimelineEntries.ofAudit(moved).summary(),
                TimelineEntries.ofAudit(contact).summary(), TimelineEntries.ofMeeting(before, false).summary(),
                TimelineEntries.ofEmail(email).summary());

        List<String> here = summaries.get();
        List<String> elsewhere = inLocaleAndZone(Locale.forLanguageTag("tr-TR"), "Pacific/Kiritimati", summaries);
        List<String> arabic = inLocaleAndZone(Locale.forLanguageTag("ar-EG-u-nu-arab"), "America/St_Johns", summaries);

        assertThat(here).containsExactly("Meeting \"Kickoff\" moved to 31 Jan 2026 23:30 UTC in Google Calendar",
                "Contact info status changed: tier", "Meeting: Kickoff", "E-mail from ana@client.example: Hi");
        assertThat(elsewhere).isEqualTo(here);
        assertThat(arabic).isEqualTo(here);
    }

    @Test
    void theSameRowAlwaysGivesTheSameEntry() {
        CalendarEvent before = kickoff();
        AuditLogEntry moved = AuditRows.meetingChanged("update", before, Meetings.timed(before,
                Instant.parse("2026-06-03T09:30:00Z"), Instant.parse("2026-06-03T10:30:00Z")));

        assertThat(TimelineEntries.ofAudit(moved)).isEqualTo(TimelineEntries.ofAudit(moved));
        assertThat(Json.write(TimelineEntries.ofAudit(moved))).isEqualTo(Json.write(TimelineEntries.ofAudit(moved)));
        assertThat(Json.write(TimelineEntries.ofMeeting(before, true))).isEqualTo(Json.write(TimelineEntries.ofMeeting(before, true)));
    }

    private static <T> T inLocaleAndZone(Locale locale, String zone, Supplier<T> work) {
        Locale locale0 = Locale.getDefault();
        TimeZone zone0 = TimeZone.getDefault();
        try {
            Locale.setDefault(locale);
            TimeZone.setDefault(TimeZone.getTimeZone(zone));
            return work.get();
        } finally {
            Locale.setDefault(locale0);
            TimeZone.setDefault(zone0);
        }
    }
}
