package dev.pipedesk.local.calendar;

import static dev.pipedesk.local.calendar.CalendarTestSupport.EVENTS;
import static dev.pipedesk.local.calendar.CalendarTestSupport.googleEventsWithSummary;
import static dev.pipedesk.local.calendar.CalendarTestSupport.meeting;
import static dev.pipedesk.local.calendar.CalendarTestSupport.slot;
import static dev.pipedesk.local.calendar.CalendarTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Json;
import dev.pipedesk.local.testing.ApiClient;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a clear 400/422 with one detail per field, and changes nothing anywhere. */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class CalendarValidationTest {

    private final ApiClient sales = LocalStackExtension.api().as(Role.SALES, "validation-sales");

    static Stream<Arguments> invalidCreates() {
        return Stream.of(
                Arguments.of("start_time", "start_time", "2031-01-01T10:00:00"),
                Arguments.of("start_time", "start_time", "next tuesday"),
                Arguments.of("end_time", "end_time", "2020-01-01T10:00:00Z"),
                Arguments.of("attendees", "attendees[0]", new String[] {"not-an-email"}),
                Arguments.of("attendees", "attendees", "someone@example.com"),
                Arguments.of("create_meet_link", "create_meet_link", "yes"),
                Arguments.of("entity_type", "entity_type", "invoice"),
                Arguments.of("summary", "summary", 42));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("invalidCreates")
    void rejectsAnInvalidFieldWith422AndCreatesNothing(String field, String detailField, Object value) {
        String summary = unique("Invalid");
        Map<String, Object> body = meeting(summary, slot());
        body.put(field, value);
        if (field.equals("entity_type")) {
            body.put("entity_id", "lead-1");
        }
        if (field.equals("summary")) {
            summary = null;
        }

        ApiResponse response = sales.post(EVENTS, body);

        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.errorCode()).contains("validation_failed");
        assertThat(response.json().at("/error/message").asString()).isNotBlank();
        assertThat(response.json().at("/error/details").findValuesAsString("field")).contains(detailField);
        if (summary != null) {
            assertThat(googleEventsWithSummary(summary)).isEmpty();
        }
    }

    @Test
    void missingTimesAreEachReported() {
        ApiResponse response = sales.post(EVENTS, Map.of("summary", "No times"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().at("/error/details").findValuesAsString("field")).containsExactlyInAnyOrder("start_time", "end_time");
    }

    @Test
    void malformedJsonIs400() {
        ApiResponse response = sales.post(EVENTS, "{\"summary\": ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).contains("bad_request");
        assertThat(response.json().has("error")).isTrue();
    }

    @Test
    void badListFiltersAre422() {
        ApiResponse response = sales.get(EVENTS, Map.of("limit", 0, "time_min", "2031-01-01"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().at("/error/details").findValuesAsString("field")).containsExactlyInAnyOrder("limit", "time_min");
    }

    @Test
    void aNulInAPatchIs422BeforeGoogleAndTheMeetingStaysEditable() {
        String id = sales.post(EVENTS, meeting(unique("Editable"), slot())).json().get("id").asString();

        ApiResponse refused = sales.patch(EVENTS + "/" + id, Map.of("summary", "Renamed\u0000"));
        ApiResponse renamed = sales.patch(EVENTS + "/" + id, Map.of("summary", "Renamed"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().at("/error/details").findValuesAsString("field")).containsExactly("summary");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().get("summary").asString()).isEqualTo("Renamed");
    }

    @Test
    void aNulInThePathIdIs422() {
        ApiResponse response = sales.get(EVENTS + "/abc%00def");

        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.json().at("/error/details").findValuesAsString("field")).containsExactly("id");
    }

    @Test
    void aJsonBodyThatIsNotUtf8Is400AndCreatesNothing() {
        String summary = unique("Latin1");
        byte[] latin1 = Json.write(meeting(summary + " Café", slot())).getBytes(StandardCharsets.ISO_8859_1);

        ApiResponse response = sales.sendBytes("POST", EVENTS, latin1);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().at("/error/message").asString()).isEqualTo("The request body is not valid UTF-8.");
        assertThat(googleEventsWithSummary(summary + " Café")).isEmpty();
    }

    @Test
    void unknownRouteIs404Json() {
        ApiResponse response = sales.get("/api/nothing-here");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().has("error")).isTrue();
    }
}
