package dev.pipedesk.emulator.calendar;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.ConferenceData;
import com.google.api.services.calendar.model.ConferenceSolutionKey;
import com.google.api.services.calendar.model.CreateConferenceRequest;
import com.google.api.services.calendar.model.EntryPoint;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventAttendee;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class ConferenceTest extends EmulatorTestSupport {

    private static Event withMeet(Event event, String requestId) {
        return event.setConferenceData(new ConferenceData().setCreateRequest(new CreateConferenceRequest()
                .setRequestId(requestId)
                .setConferenceSolutionKey(new ConferenceSolutionKey().setType("hangoutsMeet"))));
    }

    private static Event insertWithMeet(Calendar client, Event event) throws IOException {
        return client.events().insert("primary", withMeet(event, newId()))
                .setConferenceDataVersion(1).setSendUpdates("none").execute();
    }

    @Test
    void createsAMeetLinkWithConferenceDataVersion1() throws Exception {
        Event created = insertWithMeet(calendar, meeting("Meet me"));

        assertThat(created.getHangoutLink()).matches("https://meet\\.google\\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}");
        ConferenceData conference = created.getConferenceData();
        assertThat(conference.getCreateRequest().getStatus().getStatusCode()).isEqualTo("success");
        assertThat(conference.getConferenceSolution().getKey().getType()).isEqualTo("hangoutsMeet");
        assertThat(conference.getConferenceSolution().getName()).isEqualTo("Google Meet");
        assertThat(conference.getEntryPoints()).extracting(EntryPoint::getEntryPointType)
                .containsExactly("video", "more", "phone");
        assertThat(conference.getEntryPoints().getFirst().getUri()).isEqualTo(created.getHangoutLink());
        assertThat(created.getHangoutLink()).endsWith(conference.getConferenceId());
        assertThat(conference.getSignature()).isNotBlank();
    }

    @Test
    void ignoresTheCreateRequestWithoutConferenceDataVersion() throws Exception {
        Event created = calendar.events().insert("primary", withMeet(meeting("No version"), newId())).execute();

        assertThat(created.getConferenceData()).isNull();
        assertThat(created.getHangoutLink()).isNull();
    }

    @Test
    void writesWithVersion0KeepTheStoredConference() throws Exception {
        Event created = insertWithMeet(calendar, meeting("Keep my link"));

        Event updated = calendar.events().update("primary", created.getId(), meeting("Renamed")).execute();
        Event patched = calendar.events().patch("primary", created.getId(),
                new Event().setDescription("Join: " + created.getHangoutLink())).execute();

        assertThat(updated.getHangoutLink()).isEqualTo(created.getHangoutLink());
        assertThat(patched.getConferenceData().getConferenceId()).isEqualTo(created.getConferenceData().getConferenceId());
    }

    @Test
    void theSameRequestIdAgainIsIgnored() throws Exception {
        String requestId = newId();
        Event created = calendar.events().insert("primary", withMeet(meeting("Idempotent"), requestId))
                .setConferenceDataVersion(1).execute();

        Event patched = calendar.events().patch("primary", created.getId(), withMeet(new Event(), requestId))
                .setConferenceDataVersion(1).execute();

        assertThat(patched.getHangoutLink()).isEqualTo(created.getHangoutLink());
    }

    @Test
    void pendingConferenceTurnsToSuccessAfterTheConfiguredGets() throws Exception {
        control().setConferenceModeForNext(1, ConferenceMode.pending(2));

        Event created = insertWithMeet(calendar, meeting("Slow Meet"));
        Event firstGet = calendar.events().get("primary", created.getId()).execute();
        Event secondGet = calendar.events().get("primary", created.getId()).execute();
        Event thirdGet = calendar.events().get("primary", created.getId()).execute();

        assertThat(created.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("pending");
        assertThat(created.getHangoutLink()).isNull();
        assertThat(created.getConferenceData().getEntryPoints()).isNull();
        assertThat(firstGet.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("pending");
        assertThat(secondGet.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("pending");
        assertThat(thirdGet.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("success");
        assertThat(thirdGet.getHangoutLink()).startsWith("https://meet.google.com/");
        assertThat(thirdGet.getEtag()).isNotEqualTo(secondGet.getEtag());
        assertThat(thirdGet.getUpdated().getValue()).isGreaterThan(secondGet.getUpdated().getValue());
        Event next = insertWithMeet(calendar, meeting("Back to default"));
        assertThat(next.getHangoutLink()).isNotNull();
    }

    @Test
    void failedConferenceHasNoEntryPoints() throws Exception {
        control().setConferenceMode(ConferenceMode.failure());

        Event created = insertWithMeet(calendar, meeting("Broken Meet"));

        assertThat(created.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("failure");
        assertThat(created.getConferenceData().getEntryPoints()).isNull();
        assertThat(created.getConferenceData().getConferenceSolution()).isNull();
        assertThat(created.getHangoutLink()).isNull();
    }

    @Test
    void calendarModeAppliesOnlyToThatCalendar() throws Exception {
        control().setConferenceMode("team@acme.test", ConferenceMode.failure());

        Event onTeam = calendar.events().insert("team@acme.test", withMeet(meeting("Team"), newId()))
                .setConferenceDataVersion(1).execute();
        Event onPrimary = insertWithMeet(calendar, meeting("Mine"));

        assertThat(onTeam.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("failure");
        assertThat(onPrimary.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("success");
    }

    @Test
    void serviceAccountWithoutDelegationCannotCreateMeetWhenTheRuleIsOn() throws Exception {
        control().requireDelegationForMeet(true);

        GoogleJsonResponseException error = googleError(() -> insertWithMeet(calendar, meeting("Not allowed")));
        Event delegated = insertWithMeet(client(emulator, "alice@acme.test"), meeting("Allowed"));

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getMessage()).isEqualTo("Invalid conference type value.");
        assertThat(delegated.getHangoutLink()).isNotNull();
        assertThat(delegated.getOrganizer().getEmail()).isEqualTo("alice@acme.test");
    }

    @Test
    void serviceAccountWithoutDelegationCannotInviteWhenTheRuleIsOn() throws Exception {
        Event allowedByDefault = insert(withGuests());
        control().requireDelegationForAttendees(true);

        GoogleJsonResponseException error = googleError(() -> insert(withGuests()));
        Event delegated = client(emulator, "alice@acme.test").events().insert("primary", withGuests()).execute();

        assertThat(allowedByDefault.getAttendees()).hasSize(1);
        assertThat(error.getStatusCode()).isEqualTo(403);
        assertThat(firstError(error).getReason()).isEqualTo("forbiddenForServiceAccounts");
        assertThat(firstError(error).getDomain()).isEqualTo("calendar");
        assertThat(delegated.getAttendees()).hasSize(1);
    }

    private static Event withGuests() {
        return meeting("Guests").setAttendees(List.of(new EventAttendee().setEmail("bob@client.test")));
    }
}
