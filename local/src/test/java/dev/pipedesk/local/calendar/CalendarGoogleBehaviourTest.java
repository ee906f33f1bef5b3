package dev.pipedesk.local.calendar;

import static dev.pipedesk.local.calendar.CalendarTestSupport.EVENTS;
import static dev.pipedesk.local.calendar.CalendarTestSupport.google;
import static dev.pipedesk.local.calendar.CalendarTestSupport.googleEventsWithSummary;
import static dev.pipedesk.local.calendar.CalendarTestSupport.meeting;
import static dev.pipedesk.local.calendar.CalendarTestSupport.slot;
import static dev.pipedesk.local.calendar.CalendarTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.CallMatcher;
import dev.pipedesk.emulator.calendar.ConferenceMode;
import dev.pipedesk.emulator.calendar.ExternalEdit;
import dev.pipedesk.local.testing.ApiClient;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** How the calendar API copes with what Google does: async Meet, dropped responses, failures, conflicts. */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class CalendarGoogleBehaviourTest {

    private final ApiClient sales = LocalStackExtension.api().as(Role.SALES, "google-sales");

    @AfterEach
    void restoreGoogle() {
        google().clearFaults();
        google().setConferenceMode(new ConferenceMode.Success());
    }

    @Test
    void waitsForAPendingMeetConferenceUntilItHasALink() {
        google().setConferenceModeForNext(1, new ConferenceMode.Pending(2));

        ApiResponse created = sales.post(EVENTS, meeting(unique("Pending meet"), slot()));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("conference_status").asString()).isEqualTo("success");
        assertThat(created.json().path("meet_link").asString()).startsWith("https://meet.google.com/");
    }

    @Test
    void keepsTheEventWhenMeetCreationFails() {
        google().setConferenceModeForNext(1, new ConferenceMode.Failure());

        ApiResponse created = sales.post(EVENTS, meeting(unique("Failed meet"), slot()));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("conference_status").asString()).isEqualTo("failure");
        assertThat(created.json().path("meet_link").isNull()).isTrue();
    }

    @Test
    void createsNoConferenceWhenNotAsked() {
        Map<String, Object> body = meeting(unique("No meet"), slot());
        body.put("create_meet_link", false);

        JsonNode created = sales.post(EVENTS, body).json();

        assertThat(created.path("conference_status").asString()).isEqualTo("none");
        assertThat(created.path("meet_link").isNull()).isTrue();
    }

    @Test
    void aCreateRetriedAfterALostResponseMakesOneGoogleEvent() {
        String summary = unique("Lost response");
        google().dropResponseAfterCommit(1, CallMatcher.of("POST", "/events$"));

        ApiResponse created = sales.post(EVENTS, meeting(summary, slot()));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(googleEventsWithSummary(summary)).hasSize(1);
        assertThat(created.json().path("google_event_id").asString())
                .isEqualTo(googleEventsWithSummary(summary).getFirst().path("id").asString());
    }

    @Test
    void anIdempotencyKeyReturnsTheSameEventForARetriedRequest() {
        String summary = unique("Idempotent");
        Map<String, Object> body = meeting(summary, slot());
        ApiClient withKey = sales.header("Idempotency-Key", unique("key"));

        ApiResponse first = withKey.post(EVENTS, body);
        ApiResponse retry = withKey.post(EVENTS, body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(retry.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
        assertThat(googleEventsWithSummary(summary)).hasSize(1);
    }

    @Test
    void anIdempotencyKeyReusedForADifferentRequestIsRejected() {
        ApiClient withKey = sales.header("Idempotency-Key", unique("key"));
        withKey.post(EVENTS, meeting(unique("First use"), slot()));

        ApiResponse reused = withKey.post(EVENTS, meeting(unique("Other body"), slot()));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().at("/error/details/0/field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void anIdempotencyKeyWhoseGoogleEventBelongsToADifferentRequestIsRejectedNot502() {
        // What a concurrent request with the same key (or an earlier one whose answer was lost)
        // leaves behind: the key's Google event exists, made by a different request.
        String key = unique("key");
        String googleEventId = Ids.googleEventIdFor("google-sales\n" + key);
        google().insertAsUser("primary", "someone@example.com", Json.MAPPER.valueToTree(Map.of(
                "id", googleEventId, "summary", "Made by another request",
                "start", Map.of("dateTime", "2031-03-01T10:00:00Z"), "end", Map.of("dateTime", "2031-03-01T11:00:00Z"))));
        String summary = unique("Same key, other body");

        ApiResponse reused = sales.header("Idempotency-Key", key).post(EVENTS, meeting(summary, slot()));

        assertThat(reused.status()).as(reused.toString()).isEqualTo(422);
        assertThat(reused.json().at("/error/details/0/field").asString()).isEqualTo("Idempotency-Key");
        assertThat(googleEventsWithSummary(summary)).isEmpty();
        // The other request's event may be in the mirror (the sync brings it in), never this request's.
        ApiResponse stored = sales.get(EVENTS + "/" + googleEventId);
        if (stored.status() == 200) {
            assertThat(stored.json().path("summary").asString()).isEqualTo("Made by another request");
        } else {
            assertThat(stored.status()).isEqualTo(404);
        }
    }

    @Test
    void transientGoogleFailuresAreRetried() {
        String summary = unique("Retried");
        google().failNext(2, CallMatcher.of("POST", "/events$"), 503, "backendError");

        ApiResponse created = sales.post(EVENTS, meeting(summary, slot()));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(googleEventsWithSummary(summary)).hasSize(1);
    }

    @Test
    void aGoogleOutageOnCreateIs502AndStoresNothing() {
        String summary = unique("Outage");
        google().failNext(50, CallMatcher.of("POST", "/events$"), 503, "backendError");

        ApiResponse failed = sales.post(EVENTS, meeting(summary, slot()));

        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.errorCode()).contains("upstream_failed");
        assertThat(failed.body()).doesNotContain("Exception").doesNotContain("at dev.pipedesk");
        assertThat(googleEventsWithSummary(summary)).isEmpty();
    }

    @Test
    void aGoogleFailureOnCancelIs502AndLeavesTheRowUnchanged() {
        JsonNode created = sales.post(EVENTS, meeting(unique("Cancel outage"), slot())).json();
        String id = created.path("id").asString();
        google().failNext(50, CallMatcher.of("DELETE", "/events/"), 503, "backendError");

        ApiResponse failed = sales.delete(EVENTS + "/" + id);

        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.errorCode()).contains("upstream_failed");
        google().clearFaults();
        assertThat(sales.get(EVENTS + "/" + id).json()).isEqualTo(created);
    }

    @Test
    void cancellingAnEventAlreadyDeletedInGoogleSucceeds() {
        JsonNode created = sales.post(EVENTS, meeting(unique("Gone already"), slot())).json();
        google().editAsUser(created.path("calendar_id").asString(), created.path("google_event_id").asString(),
                ExternalEdit.by("someone@example.com").withStatus("cancelled"));

        ApiResponse cancelled = sales.delete(EVENTS + "/" + created.path("id").asString());

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void aPatchAfterSomeoneElseChangedTheEventInGoogleIs409WithTheCurrentState() {
        JsonNode created = sales.post(EVENTS, meeting(unique("Conflict"), slot())).json();
        String id = created.path("id").asString();
        // Until the PATCH, no sync can read the calendar's changes (events.list fails), so the mirror
        // is still stale when the PATCH is sent: the conflict path, not the sync, meets the edit.
        google().failNext(10_000, CallMatcher.of("GET", "/calendars/[^/]+/events$"), 503, "backendError");
        google().editAsUser(created.path("calendar_id").asString(), created.path("google_event_id").asString(),
                ExternalEdit.by("colleague@example.com").withSummary("Changed in Google"));

        ApiResponse conflict = sales.patch(EVENTS + "/" + id, Map.of("summary", "Changed in PipeDesk"));

        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.errorCode()).contains("conflict");
        assertThat(conflict.json().at("/error/details/current/summary").asString()).isEqualTo("Changed in Google");
        assertThat(google().calls("PATCH", "/events/").getLast().header("If-Match")).matches("\"\\d+\"");

        ApiResponse retried = sales.patch(EVENTS + "/" + id, Map.of("summary", "Changed in PipeDesk"));
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().path("summary").asString()).isEqualTo("Changed in PipeDesk");
    }
}
