package dev.pipedesk.timeline;

import static dev.pipedesk.timeline.AuditRows.meetingChanged;
import static dev.pipedesk.timeline.AuditRows.meetingCreated;
import static dev.pipedesk.timeline.Meetings.attended;
import static dev.pipedesk.timeline.Meetings.described;
import static dev.pipedesk.timeline.Meetings.kickoff;
import static dev.pipedesk.timeline.Meetings.linked;
import static dev.pipedesk.timeline.Meetings.timed;
import static dev.pipedesk.timeline.Meetings.titled;
import static dev.pipedesk.timeline.Meetings.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.postgres.AuditLogEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Summaries of the audit entries about meetings, for every action the calendar function and the
 * sync write (MeetingAudit), with rows shaped as they store them (AuditRows).
 */
class MeetingAuditSummaryTest {
    private static final Instant NEW_START = Instant.parse("2026-06-03T09:30:00Z");
    private static final Instant NEW_END = Instant.parse("2026-06-03T10:30:00Z");

    private static String summary(AuditLogEntry entry) {
        return TimelineEntries.ofAudit(entry).summary();
    }

    private static Attendee attendee(String email, String response) {
        return new Attendee(email, response, null, false, false);
    }

    @Test
    void createSaysTheMeetingIsScheduledForItsStartInUtc() {
        assertThat(summary(meetingCreated("create", kickoff())))
                .isEqualTo("Meeting \"Kickoff\" scheduled for 2 Jun 2026 15:00 UTC");
    }

    @Test
    void syncCreateSaysTheMeetingWasScheduledInGoogleCalendar() {
        assertThat(summary(meetingCreated("sync_create", kickoff())))
                .isEqualTo("Meeting \"Kickoff\" scheduled for 2 Jun 2026 15:00 UTC in Google Calendar");
    }

    @Test
    void updateOfTheStartSaysWhereTheMeetingMovedTo() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("update", before, timed(before, NEW_START, NEW_END))))
                .isEqualTo("Meeting \"Kickoff\" moved to 3 Jun 2026 09:30 UTC");
    }

    @Test
    void aMeetingWithoutTitleMovesAsPlainMeeting() {
        CalendarEvent before = titled(kickoff(), null);

        assertThat(summary(meetingChanged("update", before, timed(before, NEW_START, NEW_END))))
                .isEqualTo("Meeting moved to 3 Jun 2026 09:30 UTC");
    }

    @Test
    void aMoveNamesTheOtherFieldsChangedWithItSorted() {
        CalendarEvent before = kickoff();
        CalendarEvent after = described(titled(timed(before, NEW_START, NEW_END), "Kickoff v2"), "New agenda", null);

        assertThat(summary(meetingChanged("update", before, after)))
                .isEqualTo("Meeting \"Kickoff v2\" moved to 3 Jun 2026 09:30 UTC (also updated: description, meet_link, summary)");
    }

    @Test
    void aMoveToATimeWithSecondsShowsTheSeconds() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("update", before,
                timed(before, Instant.parse("2026-06-03T09:30:15.5Z"), NEW_END))))
                .isEqualTo("Meeting \"Kickoff\" moved to 3 Jun 2026 09:30:15 UTC");
    }

    @Test
    void updateOfTheEndOnlySaysWhenTheMeetingNowEnds() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("update", before,
                timed(before, before.startTime(), Instant.parse("2026-06-02T16:45:00Z")))))
                .isEqualTo("Meeting \"Kickoff\" now ends at 2 Jun 2026 16:45 UTC");
    }

    @Test
    void updateOfTheTitleSaysRenamedFromOldToNew() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("update", before, titled(before, "Kickoff with legal"))))
                .isEqualTo("Meeting renamed: \"Kickoff\" → \"Kickoff with legal\"");
    }

    @Test
    void aTitleGivenToAnUntitledMeetingIsARenameFromNoTitle() {
        CalendarEvent before = titled(kickoff(), " ");

        assertThat(summary(meetingChanged("update", before, titled(before, "Kickoff"))))
                .isEqualTo("Meeting renamed: (no title) → \"Kickoff\"");
    }

    @Test
    void attendeesAddedAndRemovedAreNamedSortedByAddress() {
        CalendarEvent before = kickoff();
        CalendarEvent after = attended(before, attendee("bo@client.example", "accepted"),
                attendee("zed@client.example", "needsAction"), attendee("cy@client.example", "needsAction"));

        assertThat(summary(meetingChanged("update", before, after)))
                .isEqualTo("Meeting \"Kickoff\" attendees changed: added cy@client.example, zed@client.example; "
                        + "removed ana@client.example");
    }

    @Test
    void aChangedResponseIsSaidInWords() {
        CalendarEvent before = kickoff();
        CalendarEvent after = attended(before, attendee("ana@client.example", "accepted"),
                attendee("bo@client.example", "declined"));

        assertThat(summary(meetingChanged("sync_update", before, after)))
                .isEqualTo("Meeting \"Kickoff\" attendees changed in Google Calendar: "
                        + "ana@client.example accepted, bo@client.example declined");
    }

    @Test
    void anAddressOnlyRecasedIsTheSameAttendee() {
        CalendarEvent before = kickoff();
        CalendarEvent after = attended(before, attendee("Ana@Client.example", "tentative"),
                attendee("bo@client.example", "accepted"));

        assertThat(summary(meetingChanged("sync_update", before, after)))
                .isEqualTo("Meeting \"Kickoff\" attendees changed in Google Calendar: Ana@Client.example tentatively accepted");
    }

    @Test
    void manyAddedAttendeesAreCountedBeyondThree() {
        CalendarEvent before = attended(kickoff());
        CalendarEvent after = attended(before, attendee("a@x.example", "needsAction"), attendee("b@x.example", "needsAction"),
                attendee("c@x.example", "needsAction"), attendee("d@x.example", "needsAction"),
                attendee("e@x.example", "needsAction"));

        assertThat(summary(meetingChanged("update", before, after)))
                .isEqualTo("Meeting \"Kickoff\" attendees changed: added a@x.example, b@x.example, c@x.example and 2 more");
    }

    @Test
    void anAttendeeChangeOtherThanWhoOrTheResponseIsAnAttendeeDetailsChange() {
        CalendarEvent before = kickoff();
        CalendarEvent after = attended(before, new Attendee("ana@client.example", "needsAction", "Ana Souza", false, false),
                before.attendees().get(1));

        assertThat(summary(meetingChanged("update", before, after)))
                .isEqualTo("Meeting \"Kickoff\" attendee details changed");
    }

    @Test
    void anyOtherUpdateListsTheChangedFieldsSorted() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("update", before, described(before, "Bring the contract", null))))
                .isEqualTo("Meeting \"Kickoff\" updated: description, meet_link");
    }

    @Test
    void relinkingTheMeetingListsTheLinkFields() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("update", before, linked(before, EntityType.LEAD, "l-9"))))
                .isEqualTo("Meeting \"Kickoff\" updated: entity_id, entity_type");
    }

    @Test
    void anUpdateThatChangedNothingAuditedSaysUpdated() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("update", before, before))).isEqualTo("Meeting \"Kickoff\" updated");
    }

    @Test
    void cancelSaysTheMeetingWasCancelled() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("cancel", before, withStatus(before, EventStatus.CANCELLED))))
                .isEqualTo("Meeting \"Kickoff\" cancelled");
    }

    @Test
    void syncCancelSaysItWasCancelledInGoogleCalendar() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("sync_cancel", before, withStatus(before, EventStatus.CANCELLED))))
                .isEqualTo("Meeting \"Kickoff\" cancelled in Google Calendar");
    }

    @Test
    void syncUpdateOfTheStartSaysItMovedInGoogleCalendar() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("sync_update", before, timed(before, NEW_START, NEW_END))))
                .isEqualTo("Meeting \"Kickoff\" moved to 3 Jun 2026 09:30 UTC in Google Calendar");
    }

    @Test
    void syncUpdateOfOtherFieldsListsThemAfterGoogleCalendar() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("sync_update", before, described(before, "Moved to room 4", before.meetLink()))))
                .isEqualTo("Meeting \"Kickoff\" updated in Google Calendar: description");
    }

    @Test
    void syncUpdateOfACancelledMeetingSaysItWasRestored() {
        CalendarEvent cancelled = withStatus(kickoff(), EventStatus.CANCELLED);

        assertThat(summary(meetingChanged("sync_update", cancelled,
                timed(withStatus(cancelled, EventStatus.CONFIRMED), NEW_START, NEW_END))))
                .isEqualTo("Meeting \"Kickoff\" restored in Google Calendar (also updated: end_time, start_time)");
    }

    @Test
    void syncConflictSaysGoogleCalendarsChangeWasTakenInAsAConflict() {
        CalendarEvent before = kickoff();

        assertThat(summary(meetingChanged("sync_conflict", before, timed(before, NEW_START, NEW_END))))
                .isEqualTo("Meeting \"Kickoff\" moved to 3 Jun 2026 09:30 UTC in Google Calendar (conflict)");
        assertThat(summary(meetingChanged("sync_conflict", before, described(before, "Changed in Google", before.meetLink()))))
                .isEqualTo("Meeting \"Kickoff\" updated in Google Calendar (conflict): description");
    }

    @Test
    void aLongTitleIsCutAtAHundredCharactersOnOneLine() {
        String title = "Quarterly\nreview\t" + "x".repeat(200);
        CalendarEvent before = titled(kickoff(), title);

        String summary = summary(meetingChanged("update", before, timed(before, NEW_START, NEW_END)));

        assertThat(summary).isEqualTo("Meeting \"Quarterly review " + "x".repeat(100 - "Quarterly review ".length())
                + "…\" moved to 3 Jun 2026 09:30 UTC");
    }

    @Test
    void anActionTheProjectDoesNotWriteGetsTheGenericSummary() {
        CalendarEvent before = kickoff();
        AuditLogEntry archived = meetingChanged("archive_copy", before, described(before, "x", null));

        assertThat(summary(archived)).isEqualTo("Meeting archive copy: description, meet_link");
    }
}
