package dev.pipedesk.local.calendar;

import static dev.pipedesk.local.calendar.CalendarTestSupport.EVENTS;
import static dev.pipedesk.local.calendar.CalendarTestSupport.meeting;
import static dev.pipedesk.local.calendar.CalendarTestSupport.slot;
import static dev.pipedesk.local.calendar.CalendarTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiClient;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * An external {@code client} sees, through the gateway, only the meetings its token's e-mail
 * attends, redacted; every other meeting is 404 to it and missing from its lists.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class ClientScopeTest {
    private final Api api = LocalStackExtension.api();

    /** A meeting of its own CRM deal (so a listing can be narrowed to this test's meetings) with these attendees. */
    private JsonNode meetingWith(String deal, String... attendees) {
        Map<String, Object> body = meeting(unique("Scoped"), slot());
        body.put("attendees", List.of(attendees));
        body.put("entity_type", "deal");
        body.put("entity_id", deal);
        ApiResponse created = api.as(Role.SALES, "scope-owner").post(EVENTS, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static Map<String, Object> ofDeal(String deal) {
        return Map.of("entity_type", "deal", "entity_id", deal);
    }

    @Test
    void aClientListsAndReadsOnlyTheMeetingsItAttendsRedacted() {
        String deal = unique("client-deal");
        String client = unique("buyer") + "@example.com";
        JsonNode attended = meetingWith(deal, client.toUpperCase(), "sales@pipedesk.local");
        JsonNode notAttended = meetingWith(deal, "someone-else@example.com");
        ApiClient asClient = api.as(Role.CLIENT, "external-1", client);

        ApiResponse list = asClient.get(EVENTS, ofDeal(deal));
        ApiResponse own = asClient.get(EVENTS + "/" + attended.path("id").asString());
        ApiResponse other = asClient.get(EVENTS + "/" + notAttended.path("id").asString());
        ApiResponse otherByGoogleId = asClient.get(EVENTS + "/" + notAttended.path("google_event_id").asString());

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.header("x-total-count")).contains("1");
        assertThat(list.json()).singleElement().satisfies(event -> {
            assertThat(event.path("id").asString()).isEqualTo(attended.path("id").asString());
            assertThat(event.path("attendees")).isEmpty();
            assertThat(event.path("description").isNull()).isTrue();
        });
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("meet_link").isNull()).isTrue();
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.errorCode()).contains("not_found");
        assertThat(otherByGoogleId.status()).isEqualTo(404);
        assertThat(api.as(Role.VIEWER, "staff").get(EVENTS, ofDeal(deal)).header("x-total-count")).contains("2");
    }

    @Test
    void aClientTokenWithoutAnEmailSeesNothing() {
        String deal = unique("no-email-deal");
        JsonNode meeting = meetingWith(deal, "buyer@example.com");
        ApiClient noEmail = api.withAuthorization("Bearer " + api.stack().token(Role.CLIENT, "external-2", null));

        ApiResponse list = noEmail.get(EVENTS, ofDeal(deal));
        ApiResponse one = noEmail.get(EVENTS + "/" + meeting.path("id").asString());

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).isEmpty();
        assertThat(list.header("x-total-count")).contains("0");
        assertThat(one.status()).isEqualTo(404);
    }
}
