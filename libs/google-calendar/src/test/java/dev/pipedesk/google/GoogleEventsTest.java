package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.ConferenceData;
import com.google.api.services.calendar.model.ConferenceRequestStatus;
import com.google.api.services.calendar.model.CreateConferenceRequest;
import com.google.api.services.calendar.model.EntryPoint;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoogleEventsTest {
    private static final Instant START = Instant.parse("2030-05-01T14:00:00Z");

    private static EventDraft draft(String conferenceRequestId) {
        return new EventDraft("abc123def", "Demo", "Notes", START, START.plusSeconds(3600),
                List.of("a@example.com"), conferenceRequestId, Map.of("pipedesk_entity_type", "deal"));
    }

    @Test
    void aDraftAsksForMeetWithItsRequestIdAndCarriesTheCrmLink() {
        Event event = GoogleEvents.toGoogle(draft("req-1"));

        assertThat(event.getId()).isEqualTo("abc123def");
        assertThat(event.getConferenceData().getCreateRequest().getRequestId()).isEqualTo("req-1");
        assertThat(event.getConferenceData().getCreateRequest().getConferenceSolutionKey().getType()).isEqualTo("hangoutsMeet");
        assertThat(event.getAttendees()).extracting(a -> a.getEmail()).containsExactly("a@example.com");
        assertThat(event.getExtendedProperties().getPrivate()).containsEntry("pipedesk_entity_type", "deal");
        assertThat(event.getStart().getDateTime().getValue()).isEqualTo(START.toEpochMilli());
    }

    @Test
    void aDraftWithoutMeetHasNoConferenceData() {
        assertThat(GoogleEvents.toGoogle(draft(null)).getConferenceData()).isNull();
    }

    @Test
    void snapshotReadsTheMeetLinkFromTheVideoEntryPoint() {
        Event event = GoogleEvents.toGoogle(draft("req-1"))
                .setEtag("\"42\"").setStatus("confirmed").setHangoutLink("https://meet.google.com/old-link")
                .setConferenceData(new ConferenceData()
                        .setCreateRequest(new CreateConferenceRequest().setStatus(new ConferenceRequestStatus().setStatusCode("success")))
                        .setEntryPoints(List.of(
                                new EntryPoint().setEntryPointType("phone").setUri("tel:+1-555"),
                                new EntryPoint().setEntryPointType("video").setUri("https://meet.google.com/abc-defg-hij"))));

        GoogleEventSnapshot snapshot = GoogleEvents.snapshot(event);

        assertThat(snapshot.meetLink()).isEqualTo("https://meet.google.com/abc-defg-hij");
        assertThat(snapshot.conferenceStatus()).isEqualTo(ConferenceStatus.SUCCESS);
        assertThat(snapshot.etag()).isEqualTo("\"42\"");
        assertThat(snapshot.status()).isEqualTo(EventStatus.CONFIRMED);
        assertThat(snapshot.start()).isEqualTo(START);
        assertThat(snapshot.privateProperties()).containsEntry("pipedesk_entity_type", "deal");
    }

    @Test
    void conferenceStatusFollowsTheCreateRequest() {
        Event pending = new Event().setConferenceData(new ConferenceData().setCreateRequest(
                new CreateConferenceRequest().setStatus(new ConferenceRequestStatus().setStatusCode("pending"))));
        Event failed = new Event().setConferenceData(new ConferenceData().setCreateRequest(
                new CreateConferenceRequest().setStatus(new ConferenceRequestStatus().setStatusCode("failure"))));

        assertThat(GoogleEvents.conferenceStatus(pending)).isEqualTo(ConferenceStatus.PENDING);
        assertThat(GoogleEvents.conferenceStatus(failed)).isEqualTo(ConferenceStatus.FAILURE);
        assertThat(GoogleEvents.conferenceStatus(new Event())).isEqualTo(ConferenceStatus.NONE);
    }

    @Test
    void allDayEventsStartAtMidnightUtc() {
        Event allDay = new Event().setStart(new EventDateTime().setDate(new DateTime(true, START.toEpochMilli(), 0)))
                .setEnd(new EventDateTime().setDate(new DateTime(true, START.plusSeconds(86400).toEpochMilli(), 0)));

        assertThat(GoogleEvents.snapshot(allDay).start()).isEqualTo(Instant.parse("2030-05-01T00:00:00Z"));
    }

    @Test
    void aBareTombstoneIsACancelledSnapshotWithNothingButItsIdAndEtag() throws Exception {
        Event tombstone = GsonFactory.getDefaultInstance().fromString(
                "{\"kind\":\"calendar#event\",\"etag\":\"\\\"3181\\\"\",\"id\":\"abc123def\",\"status\":\"cancelled\"}",
                Event.class);

        GoogleEventSnapshot snapshot = GoogleEvents.snapshot(tombstone);

        assertThat(snapshot.id()).isEqualTo("abc123def");
        assertThat(snapshot.etag()).isEqualTo("\"3181\"");
        assertThat(snapshot.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(snapshot.summary()).isNull();
        assertThat(snapshot.description()).isNull();
        assertThat(snapshot.start()).isNull();
        assertThat(snapshot.end()).isNull();
        assertThat(snapshot.meetLink()).isNull();
        assertThat(snapshot.conferenceStatus()).isEqualTo(ConferenceStatus.NONE);
        assertThat(snapshot.organizerEmail()).isNull();
        assertThat(snapshot.attendees()).isEmpty();
        assertThat(snapshot.privateProperties()).isEmpty();
        assertThat(snapshot.updated()).isNull();
        assertThat(snapshot.visibility()).isNull();
        assertThat(snapshot.isPrivate()).isFalse();
    }

    @Test
    void privateAndConfidentialEventsArePrivateAndOthersAreNot() {
        assertThat(GoogleEvents.snapshot(new Event().setVisibility("private")).isPrivate()).isTrue();
        assertThat(GoogleEvents.snapshot(new Event().setVisibility("confidential")).isPrivate()).isTrue();
        assertThat(GoogleEvents.snapshot(new Event().setVisibility("public")).isPrivate()).isFalse();
        assertThat(GoogleEvents.snapshot(new Event().setVisibility("default")).isPrivate()).isFalse();
        assertThat(GoogleEvents.snapshot(new Event()).isPrivate()).isFalse();
        assertThat(GoogleEvents.snapshot(new Event().setVisibility("private")).visibility()).isEqualTo("private");
    }

    @Test
    void aPatchSendsOnlyWhatChangesAndAClearedFieldAsJsonNull() throws Exception {
        EventPatch patch = new EventPatch(FieldChange.set("Renamed"), FieldChange.clear(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.set(List.of("b@example.com")), FieldChange.keep());

        String json = GsonFactory.getDefaultInstance().toString(GoogleEvents.toGoogle(patch));

        assertThat(json).isEqualTo("{\"attendees\":[{\"email\":\"b@example.com\"}],\"description\":null,\"summary\":\"Renamed\"}");
    }

    @Test
    void aPatchIsAppliedWhenTheEventHoldsEveryChangeAndKeepsMergedProperties() {
        GoogleEventSnapshot event = GoogleEvents.snapshot(GoogleEvents.toGoogle(draft(null)).setDescription(null));
        EventPatch landed = new EventPatch(FieldChange.set("Demo"), FieldChange.clear(), FieldChange.set(START),
                FieldChange.keep(), FieldChange.set(List.of("a@example.com")),
                FieldChange.set(Map.of("pipedesk_entity_type", "deal")));
        EventPatch notYet = new EventPatch(FieldChange.set("Renamed"), FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.keep(), FieldChange.keep());

        assertThat(landed.isAppliedIn(event)).isTrue();
        assertThat(notYet.isAppliedIn(event)).isFalse();
    }

    @Test
    void aPatchWithOnlyKeepsIsEmpty() {
        EventPatch nothing = new EventPatch(FieldChange.keep(), FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.keep(), FieldChange.keep());

        assertThat(nothing.isEmpty()).isTrue();
        assertThat(new EventPatch(FieldChange.keep(), FieldChange.clear(), FieldChange.keep(), FieldChange.keep(),
                FieldChange.keep(), FieldChange.keep()).isEmpty()).isFalse();
    }
}
