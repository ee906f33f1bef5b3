package dev.pipedesk.emulator.calendar;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.ConferenceData;
import com.google.api.services.calendar.model.ConferenceSolutionKey;
import com.google.api.services.calendar.model.CreateConferenceRequest;
import com.google.api.services.calendar.model.Event;
import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The control API over HTTP, as a test in another process (or the local stack) would use it. */
@Tag("integration")
class ControlHttpApiTest extends EmulatorTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> call(String method, String path, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(emulator.rootUrl().resolve("emulator/" + path));
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void answersTheBannersControlUrlWithAnIndexOfTheControlEndpoints() throws Exception {
        HttpResponse<String> index = call("GET", "", null);

        assertThat(index.statusCode()).isEqualTo(200);
        JsonNode endpoints = json(index).get("endpoints");
        assertThat(endpoints).isNotEmpty();
        assertThat(endpoints.valueStream().map(e -> e.get("method").asString() + " " + e.get("path").asString()))
                .contains("POST /emulator/faults/fail", "POST /emulator/reset",
                        "POST /emulator/calendars/{calendarId}/events/{eventId}/edit");
    }

    @Test
    void injectsFailuresOverHttp() throws Exception {
        HttpResponse<String> set = call("POST", "faults/fail",
                "{\"count\":1,\"status\":503,\"reason\":\"backendError\",\"method\":\"GET\",\"path\":\"/events$\"}");

        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary").execute());

        assertThat(set.statusCode()).isEqualTo(204);
        assertThat(error.getStatusCode()).isEqualTo(503);
        assertThat(calendar.events().list("primary").execute().getItems()).isEmpty();
    }

    @Test
    void injectsARateLimitWithRetryAfterOverHttp() throws Exception {
        call("POST", "faults/fail", "{\"status\":429,\"reason\":\"rateLimitExceeded\",\"retryAfterSeconds\":5}");

        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary").execute());

        assertThat(error.getStatusCode()).isEqualTo(429);
        assertThat(error.getHeaders().getRetryAfter()).isEqualTo("5");
    }

    @Test
    void revokesAccessTokensOverHttp() throws Exception {
        com.google.api.services.calendar.Calendar fresh = client(emulator, null);
        fresh.events().list("primary").execute();

        HttpResponse<String> revoked = call("POST", "tokens/revoke", null);
        fresh.events().list("primary").execute();

        assertThat(revoked.statusCode()).isEqualTo(204);
        // The Google client's own 401 handler (this test client keeps it) fetched a second token.
        assertThat(control().calls("GET", "/events$")).extracting(ReceivedCall::status).containsExactly(200, 401, 200);
        assertThat(control().calls("POST", "^/token$")).hasSize(2);
    }

    @Test
    void dropsResponsesOverHttp() throws Exception {
        call("POST", "faults/drop-after-commit", "{\"count\":1,\"method\":\"POST\",\"path\":\"/events$\"}");
        String id = newId();

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> insert(meeting("Dark").setId(id)));

        assertThat(failure).isInstanceOf(IOException.class);
        assertThat(call("GET", "calendars/primary/events/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void listsCallsAndEventsAndEditsAsAnotherUser() throws Exception {
        Event created = insert(meeting("Shared"));

        HttpResponse<String> calls = call("GET", "calls?method=POST&path=/events$", null);
        HttpResponse<String> events = call("GET", "calendars/primary/events", null);
        HttpResponse<String> edited = call("POST", "calendars/primary/events/" + created.getId() + "/edit",
                "{\"actor\":\"carol@other.test\",\"summary\":\"Renamed by Carol\",\"status\":\"tentative\"}");

        assertThat(json(calls)).hasSize(1);
        assertThat(json(calls).get(0).get("status").asInt()).isEqualTo(200);
        assertThat(json(events).get(0).get("id").asString()).isEqualTo(created.getId());
        assertThat(json(edited).get("summary").asString()).isEqualTo("Renamed by Carol");
        assertThat(calendar.events().get("primary", created.getId()).execute().getStatus()).isEqualTo("tentative");
    }

    @Test
    void insertsAsAnotherUser() throws Exception {
        HttpResponse<String> response = call("POST", "calendars/dave@acme.test/events",
                "{\"actor\":\"dave@acme.test\",\"event\":{\"summary\":\"Created in Google\","
                        + "\"start\":{\"dateTime\":\"2026-03-02T15:00:00Z\"},\"end\":{\"dateTime\":\"2026-03-02T16:00:00Z\"}}}");

        Event seen = calendar.events().get("dave@acme.test", json(response).get("id").asString()).execute();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seen.getOrganizer().getEmail()).isEqualTo("dave@acme.test");
    }

    @Test
    void setsConferenceModeAndSwitches() throws Exception {
        call("POST", "conference-mode", "{\"mode\":\"failure\",\"next\":1}");
        call("POST", "switches", "{\"forbidWritesToCancelledEvents\":false}");

        Event created = calendar.events().insert("primary", meeting("Meet").setConferenceData(new ConferenceData()
                        .setCreateRequest(new CreateConferenceRequest().setRequestId(newId())
                                .setConferenceSolutionKey(new ConferenceSolutionKey().setType("hangoutsMeet")))))
                .setConferenceDataVersion(1).execute();
        calendar.events().delete("primary", created.getId()).execute();
        Event patchedWhileCancelled = calendar.events().patch("primary", created.getId(),
                new Event().setDescription("still cancelled")).execute();

        assertThat(created.getConferenceData().getCreateRequest().getStatus().getStatusCode()).isEqualTo("failure");
        assertThat(patchedWhileCancelled.getStatus()).isEqualTo("cancelled");
    }

    @Test
    void invalidatesSyncTokensOverHttp() throws Exception {
        String token = calendar.events().list("primary").execute().getNextSyncToken();

        HttpResponse<String> response = call("POST", "sync-tokens/invalidate", "{\"calendarId\":\"primary\"}");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(googleError(() -> calendar.events().list("primary").setSyncToken(token).execute()).getStatusCode())
                .isEqualTo(410);
    }

    @Test
    void reportsChannelsAndDeliveries() throws Exception {
        try (PushReceiver receiver = PushReceiver.start()) {
            Channel channel = calendar.events().watch("primary", new Channel().setId(UUID.randomUUID().toString())
                    .setType("web_hook").setAddress(receiver.address())).execute();
            receiver.awaitCount(1);
            control().awaitDeliveryAttempts(a -> !a.isEmpty(), java.time.Duration.ofSeconds(10));

            JsonNode channels = json(call("GET", "channels", null));
            JsonNode deliveries = json(call("GET", "push/deliveries?channelId=" + channel.getId(), null));

            assertThat(channels.get(0).get("resourceId").asString()).isEqualTo(channel.getResourceId());
            assertThat(deliveries.get(0).get("resourceState").asString()).isEqualTo("sync");
            assertThat(deliveries.get(0).get("outcome").asString()).isEqualTo("DELIVERED");
        }
    }

    @Test
    void resetForgetsEverything() throws Exception {
        insert(meeting("Temporary"));

        HttpResponse<String> reset = call("POST", "reset", null);

        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(json(call("GET", "calendars", null))).isEmpty();
        assertThat(json(call("GET", "calls", null))).isEmpty();
    }

    @Test
    void unknownControlEndpointsAndBadBodiesAnswerPipeDeskErrors() throws Exception {
        HttpResponse<String> unknown = call("GET", "nothing-here", null);
        HttpResponse<String> badMode = call("POST", "conference-mode", "{\"mode\":\"sometimes\"}");
        HttpResponse<String> missingEvent = call("POST", "calendars/primary/events/abcdefgh/edit", "{\"summary\":\"x\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").asString()).isEqualTo("not_found");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(missingEvent.statusCode()).isEqualTo(404);
    }
}
