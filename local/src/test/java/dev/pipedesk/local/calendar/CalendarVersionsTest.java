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
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Through the gateway: every single-meeting answer carries the meeting's ETag; If-Match guards
 * PATCH and DELETE (412 when stale), If-None-Match makes GET a 304; and a create may only name a
 * calendar PipeDesk may write.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class CalendarVersionsTest {
    private final Api api = LocalStackExtension.api();
    private final ApiClient owner = api.as(Role.SALES, "versions-owner");

    private ApiResponse create() {
        ApiResponse created = owner.post(EVENTS, meeting(unique("Versioned"), slot()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    private static String etag(ApiResponse response) {
        return response.header("etag").orElseThrow(() -> new AssertionError("no ETag: " + response));
    }

    @Test
    void everySingleMeetingAnswerCarriesTheVersionWhichChangesWithTheMeeting() {
        ApiResponse created = create();
        String path = EVENTS + "/" + created.json().path("id").asString();

        ApiResponse read = owner.get(path);
        ApiResponse patched = owner.patch(path, Map.of("summary", unique("Renamed")));
        ApiResponse cancelled = owner.delete(path);

        assertThat(etag(read)).isEqualTo(etag(created)).startsWith("\"");
        assertThat(etag(patched)).isNotEqualTo(etag(created));
        assertThat(etag(cancelled)).isNotEqualTo(etag(patched));
        assertThat(etag(created)).doesNotContain(created.json().path("google_event_id").asString());
    }

    @Test
    void aPatchWithAStaleIfMatchIs412WithTheCurrentStateAndChangesNothing() {
        ApiResponse created = create();
        String path = EVENTS + "/" + created.json().path("id").asString();
        ApiResponse first = owner.header("If-Match", etag(created)).patch(path, Map.of("summary", "First writer"));

        ApiResponse second = owner.header("If-Match", etag(created)).patch(path, Map.of("summary", "Second writer"));
        ApiResponse staleDelete = owner.header("If-Match", etag(created)).delete(path);

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(second.status()).as(second.toString()).isEqualTo(412);
        assertThat(second.errorCode()).contains("precondition_failed");
        assertThat(second.json().at("/error/details/current/summary").asString()).isEqualTo("First writer");
        assertThat(second.json().at("/error/details/etag").asString()).isEqualTo(etag(first));
        assertThat(staleDelete.status()).isEqualTo(412);
        ApiResponse now = owner.get(path);
        assertThat(now.json().path("summary").asString()).isEqualTo("First writer");
        assertThat(now.json().path("status").asString()).isEqualTo("confirmed");
        assertThat(etag(now)).isEqualTo(etag(first));
    }

    @Test
    void theCurrentTagOrTheWildcardLetsADeleteThrough() {
        ApiResponse created = create();
        String path = EVENTS + "/" + created.json().path("id").asString();
        ApiResponse other = create();

        ApiResponse current = owner.header("If-Match", "\"stale\", " + etag(created)).delete(path);
        ApiResponse wildcard = owner.header("If-Match", "*")
                .delete(EVENTS + "/" + other.json().path("id").asString());

        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(current.json().path("status").asString()).isEqualTo("cancelled");
        assertThat(wildcard.status()).isEqualTo(200);
    }

    @Test
    void aGetNamingTheCurrentVersionIs304WithoutBody() {
        ApiResponse created = create();
        String path = EVENTS + "/" + created.json().path("id").asString();

        ApiResponse unchanged = owner.header("If-None-Match", etag(created)).get(path);
        owner.patch(path, Map.of("summary", unique("Changed")));
        ApiResponse changed = owner.header("If-None-Match", etag(created)).get(path);

        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(etag(unchanged)).isEqualTo(etag(created));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(etag(changed)).isNotEqualTo(etag(created));
    }

    @Test
    void aMalformedIfMatchIs400() {
        String path = EVENTS + "/" + create().json().path("id").asString();

        ApiResponse malformed = owner.header("If-Match", "not-quoted").patch(path, Map.of("summary", "Nope"));

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).contains("bad_request");
    }

    @Test
    void aCreateOnACalendarPipeDeskMayNotWriteIs422AndReachesNoGoogleCalendar() {
        String summary = unique("Executive calendar");
        Map<String, Object> body = meeting(summary, slot());
        body.put("calendar_id", "ceo@pipedesk.local");

        ApiResponse refused = owner.post(EVENTS, body);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().at("/error/details/0/field").asString()).isEqualTo("calendar_id");
        assertThat(CalendarTestSupport.googleEventsWithSummary(summary)).isEmpty();
    }
}
