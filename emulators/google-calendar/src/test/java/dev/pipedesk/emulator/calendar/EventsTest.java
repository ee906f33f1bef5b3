package dev.pipedesk.emulator.calendar;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventAttendee;
import com.google.api.services.calendar.model.EventDateTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class EventsTest extends EmulatorTestSupport {

    @Test
    void insertsWithClientChosenIdAndFillsServerFields() throws Exception {
        String id = newId();

        Event created = insert(meeting("Kick-off").setId(id));

        assertThat(created.getId()).isEqualTo(id);
        assertThat(created.getICalUID()).isEqualTo(id + "@google.com");
        assertThat(created.getEtag()).matches("\"\\d+\"");
        assertThat(created.getStatus()).isEqualTo("confirmed");
        assertThat(created.getSequence()).isZero();
        assertThat(created.getUpdated().toStringRfc3339()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(created.getHtmlLink()).startsWith("https://www.google.com/calendar/event?eid=");
        assertThat(created.getOrganizer().getEmail()).isEqualTo(SERVICE_ACCOUNT);
        assertThat(created.getOrganizer().getSelf()).isTrue();
        assertThat(created.getCreator().getEmail()).isEqualTo(SERVICE_ACCOUNT);
        assertThat(created.getKind()).isEqualTo("calendar#event");
    }

    @Test
    void reusingAnIdIsDuplicate() throws Exception {
        String id = newId();
        insert(meeting("First").setId(id));

        GoogleJsonResponseException error = googleError(() -> insert(meeting("Second").setId(id)));

        assertThat(error.getStatusCode()).isEqualTo(409);
        assertThat(firstError(error).getReason()).isEqualTo("duplicate");
        assertThat(control().events("primary")).hasSize(1);
    }

    @Test
    void rejectsIdsThatAreNotBase32hex() {
        GoogleJsonResponseException error = googleError(() -> insert(meeting("Bad id").setId("Not-A-Valid-Id")));

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getReason()).isEqualTo("invalid");
        assertThat(firstError(error).getMessage()).isEqualTo("Invalid resource id value.");
        assertThat(error.getHeaders().getContentType()).isEqualTo("application/json; charset=UTF-8");
    }

    @Test
    void generatesAnIdWhenNoneIsGiven() throws Exception {
        Event created = insert(meeting("No id"));

        assertThat(created.getId()).matches("[a-v0-9]{5,1024}");
    }

    @Test
    void requiresStartAndEnd() {
        GoogleJsonResponseException error = googleError(() -> insert(new Event().setSummary("Timeless")));

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getReason()).isEqualTo("required");
    }

    @Test
    void patchArrivesAsPostWithMethodOverrideAndKeepsUnsentFields() throws Exception {
        Event created = insert(meeting("Demo").setDescription("Agenda").setLocation("Room 1"));

        Event patched = calendar.events().patch("primary", created.getId(), new Event().setSummary("Demo v2")).execute();

        assertThat(patched.getSummary()).isEqualTo("Demo v2");
        assertThat(patched.getDescription()).isEqualTo("Agenda");
        assertThat(patched.getEtag()).isNotEqualTo(created.getEtag());
        assertThat(patched.getSequence()).isZero();
        ReceivedCall call = control().calls("PATCH", "/events/" + created.getId() + "$").getFirst();
        assertThat(call.header("X-HTTP-Method-Override")).isEqualTo("PATCH");
        assertThat(call.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(call.body()).contains("Demo v2");
    }

    @Test
    void patchReplacesArraysAndMergesExtendedProperties() throws Exception {
        Event created = insert(meeting("Review")
                .setAttendees(List.of(new EventAttendee().setEmail("a@acme.test"), new EventAttendee().setEmail("b@acme.test")))
                .setExtendedProperties(new Event.ExtendedProperties()
                        .setPrivate(Map.of("pipedeskId", "act-1"))
                        .setShared(Map.of("origin", "pipedesk"))));

        Event patched = calendar.events().patch("primary", created.getId(), new Event()
                .setAttendees(List.of(new EventAttendee().setEmail("c@acme.test")))
                .setExtendedProperties(new Event.ExtendedProperties().setPrivate(Map.of("dealId", "d-9"))))
                .execute();

        assertThat(patched.getAttendees()).extracting(EventAttendee::getEmail).containsExactly("c@acme.test");
        assertThat(patched.getExtendedProperties().getPrivate())
                .containsEntry("pipedeskId", "act-1").containsEntry("dealId", "d-9");
        assertThat(patched.getExtendedProperties().getShared()).containsEntry("origin", "pipedesk");
    }

    @Test
    void updateReplacesTheResourceAndBumpsSequenceOnReschedule() throws Exception {
        Event created = insert(meeting("Sync").setDescription("old"));

        Event renamed = calendar.events().update("primary", created.getId(),
                meeting("Sync renamed")).execute();
        Event moved = calendar.events().update("primary", created.getId(),
                meeting("Sync renamed", BASE.plus(Duration.ofDays(1)), Duration.ofHours(1))).execute();

        assertThat(renamed.getDescription()).isNull();
        assertThat(renamed.getSequence()).isZero();
        assertThat(moved.getSequence()).isEqualTo(1);
        assertThat(moved.getId()).isEqualTo(created.getId());
        assertThat(moved.getCreated()).isEqualTo(created.getCreated());
    }

    @Test
    void rejectsASequenceBelowTheStoredOne() throws Exception {
        Event created = insert(meeting("Seq"));
        calendar.events().patch("primary", created.getId(),
                new Event().setLocation("Elsewhere")).execute();

        GoogleJsonResponseException error = googleError(() -> calendar.events()
                .update("primary", created.getId(), meeting("Seq").setSequence(0)).execute());

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getMessage()).startsWith("Invalid sequence value.");
    }

    @Test
    void staleIfMatchIsPreconditionFailed() throws Exception {
        Event created = insert(meeting("Guarded"));
        Event changed = calendar.events().patch("primary", created.getId(), new Event().setSummary("Changed")).execute();

        var stalePatch = calendar.events().patch("primary", created.getId(), new Event().setSummary("Lost update"));
        stalePatch.getRequestHeaders().setIfMatch(created.getEtag());
        GoogleJsonResponseException error = googleError(stalePatch::execute);

        assertThat(error.getStatusCode()).isEqualTo(412);
        assertThat(firstError(error).getReason()).isEqualTo("conditionNotMet");
        assertThat(firstError(error).getLocation()).isEqualTo("If-Match");
        var freshPatch = calendar.events().patch("primary", created.getId(), new Event().setSummary("Won"));
        freshPatch.getRequestHeaders().setIfMatch(changed.getEtag());
        assertThat(freshPatch.execute().getSummary()).isEqualTo("Won");
        assertThat(control().calls("PATCH", "/events/")).extracting(c -> c.header("If-Match"))
                .containsExactly(null, created.getEtag(), changed.getEtag());
    }

    @Test
    void ifNoneMatchAnswersNotModified() throws Exception {
        Event created = insert(meeting("Cached"));

        var get = calendar.events().get("primary", created.getId());
        get.getRequestHeaders().setIfNoneMatch(created.getEtag());
        GoogleJsonResponseException error = catchNotModified(get);

        assertThat(error.getStatusCode()).isEqualTo(304);
    }

    @Test
    void deleteIsSoftAndFinal() throws Exception {
        String id = newId();
        insert(meeting("Doomed").setId(id));

        calendar.events().delete("primary", id).execute();

        assertThat(control().calls("DELETE", id).getFirst().status()).isEqualTo(204);
        Event afterDelete = calendar.events().get("primary", id).execute();
        assertThat(afterDelete.getStatus()).isEqualTo("cancelled");
        GoogleJsonResponseException again = googleError(() -> calendar.events().delete("primary", id).execute());
        assertThat(again.getStatusCode()).isEqualTo(410);
        assertThat(firstError(again).getReason()).isEqualTo("deleted");
        GoogleJsonResponseException reinsert = googleError(() -> insert(meeting("Back").setId(id)));
        assertThat(reinsert.getStatusCode()).isEqualTo(409);
        GoogleJsonResponseException patch = googleError(() -> calendar.events()
                .patch("primary", id, new Event().setSummary("Zombie")).execute());
        assertThat(patch.getStatusCode()).isEqualTo(403);
    }

    @Test
    void aCancelledEventCanBeRestoredWithAnExplicitStatus() throws Exception {
        Event created = insert(meeting("Restorable"));
        calendar.events().delete("primary", created.getId()).execute();

        Event restored = calendar.events().patch("primary", created.getId(), new Event().setStatus("confirmed")).execute();

        assertThat(restored.getStatus()).isEqualTo("confirmed");
        assertThat(restored.getSummary()).isEqualTo("Restorable");
    }

    @Test
    void unknownEventIsNotFound() {
        GoogleJsonResponseException error = googleError(() -> calendar.events().get("primary", "abcdef12345").execute());

        assertThat(error.getStatusCode()).isEqualTo(404);
        assertThat(firstError(error).getReason()).isEqualTo("notFound");
    }

    @Test
    void allDayEventsKeepTheirDates() throws Exception {
        Event created = insert(new Event().setSummary("Offsite")
                .setStart(new EventDateTime().setDate(new DateTime("2026-04-01")))
                .setEnd(new EventDateTime().setDate(new DateTime("2026-04-02"))));

        Event fetched = calendar.events().get("primary", created.getId()).execute();

        assertThat(fetched.getStart().getDate().toStringRfc3339()).isEqualTo("2026-04-01");
    }

    private static GoogleJsonResponseException catchNotModified(
            com.google.api.services.calendar.Calendar.Events.Get get) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(GoogleJsonResponseException.class, get::execute);
    }
}
