package dev.pipedesk.local.calendar;

import static dev.pipedesk.local.testing.JsonAssertions.assertTextsAt;
import static dev.pipedesk.local.calendar.CalendarTestSupport.EVENTS;
import static dev.pipedesk.local.calendar.CalendarTestSupport.googleEventsWithSummary;
import static dev.pipedesk.local.calendar.CalendarTestSupport.meeting;
import static dev.pipedesk.local.calendar.CalendarTestSupport.slot;
import static dev.pipedesk.local.calendar.CalendarTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.testing.ApiClient;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** The whole life of a meeting through the local API Gateway, Google emulator and PostgreSQL. */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class CalendarCrudFlowTest {

    private final ApiClient sales = LocalStackExtension.api().as(Role.SALES, "crud-sales");

    @Test
    void createsAMeetingWithMeetLinkInGoogleAndMirrorsIt() throws Exception {
        String summary = unique("Discovery call");
        Instant start = slot();
        Map<String, Object> body = meeting(summary, start);
        body.put("attendees", List.of("Buyer@Example.com", "buyer@example.com", "cto@example.com"));
        body.put("entity_type", "deal");
        body.put("entity_id", "deal-77");

        ApiResponse created = sales.post(EVENTS, body);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode event = created.json();
        assertThat(event.path("summary").asString()).isEqualTo(summary);
        assertThat(event.path("start_time").asString()).isEqualTo(start.toString());
        assertThat(event.path("meet_link").asString()).startsWith("https://meet.google.com/");
        assertTextsAt(event,
                "/conference_status", "success",
                "/status", "confirmed",
                "/entity_type", "deal",
                "/entity_id", "deal-77",
                "/created_by", "crud-sales");
        assertThat(event.path("attendees").findValuesAsString("email")).containsExactly("buyer@example.com", "cto@example.com");
        assertThat(event.path("google_event_id").asString()).matches("[a-v0-9]{5,}");

        List<JsonNode> inGoogle = googleEventsWithSummary(summary);
        assertThat(inGoogle).hasSize(1);
        JsonNode google = inGoogle.getFirst();
        assertTextsAt(google,
                "/id", event.path("google_event_id").asString(),
                "/extendedProperties/private/pipedesk_entity_type", "deal",
                "/extendedProperties/private/pipedesk_entity_id", "deal-77",
                "/extendedProperties/private/pipedesk_event_id", event.path("id").asString());

        try (Connection c = LocalStackExtension.stack().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select summary, google_event_id from calendar_events where id = ?::uuid")) {
            ps.setString(1, event.path("id").asString());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("summary")).isEqualTo(summary);
                assertThat(rs.getString("google_event_id")).isEqualTo(event.path("google_event_id").asString());
            }
        }
    }

    @Test
    void readsAMeetingByLocalIdOrGoogleId() {
        JsonNode created = sales.post(EVENTS, meeting(unique("Read me"), slot())).json();

        ApiResponse byLocal = sales.get(EVENTS + "/" + created.path("id").asString());
        ApiResponse byGoogle = sales.get(EVENTS + "/" + created.path("google_event_id").asString());

        assertThat(byLocal.status()).isEqualTo(200);
        assertThat(byGoogle.status()).isEqualTo(200);
        assertThat(byLocal.json()).isEqualTo(created);
        assertThat(byGoogle.json().path("id").asString()).isEqualTo(created.path("id").asString());
    }

    @Test
    void unknownIdIs404() {
        ApiResponse missing = sales.get(EVENTS + "/00000000-0000-0000-0000-000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).contains("not_found");
    }

    @Test
    void listsByEntityInStartOrderWithTotalAndPaging() {
        String deal = unique("deal");
        Instant first = slot();
        Instant second = slot();
        Instant third = slot();
        for (Instant start : List.of(third, first, second)) {
            Map<String, Object> body = meeting(unique("Entity list"), start);
            body.put("entity_type", "deal");
            body.put("entity_id", deal);
            body.put("create_meet_link", false);
            assertThat(sales.post(EVENTS, body).status()).isEqualTo(201);
        }
        Map<String, Object> other = meeting(unique("Other deal"), first);
        other.put("entity_type", "deal");
        other.put("entity_id", unique("deal"));
        sales.post(EVENTS, other);

        ApiResponse page = sales.get(EVENTS, Map.of("entity_type", "deal", "entity_id", deal, "limit", 2));
        ApiResponse rest = sales.get(EVENTS, Map.of("entity_type", "deal", "entity_id", deal, "limit", 2, "offset", 2));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("X-Total-Count")).contains("3");
        assertThat(page.json().findValuesAsString("start_time")).containsExactly(first.toString(), second.toString());
        assertThat(rest.json().findValuesAsString("start_time")).containsExactly(third.toString());
    }

    @Test
    void listsByTimeWindow() {
        String deal = unique("window");
        Instant inside = slot();
        Map<String, Object> body = meeting(unique("Window"), inside);
        body.put("entity_type", "lead");
        body.put("entity_id", deal);
        sales.post(EVENTS, body);

        ApiResponse hit = sales.get(EVENTS, Map.of("entity_type", "lead", "entity_id", deal,
                "timeMin", inside.minus(1, ChronoUnit.MINUTES).toString(), "time_max", inside.plus(1, ChronoUnit.MINUTES).toString()));
        ApiResponse miss = sales.get(EVENTS, Map.of("entity_type", "lead", "entity_id", deal,
                "time_min", inside.plus(2, ChronoUnit.HOURS).toString()));

        assertThat(hit.json()).hasSize(1);
        assertThat(miss.json()).isEmpty();
        assertThat(miss.header("X-Total-Count")).contains("0");
    }

    @Test
    void patchesFieldsClearsDescriptionAndReplacesAttendees() {
        JsonNode created = sales.post(EVENTS, meeting(unique("Patch me"), slot())).json();
        String id = created.path("id").asString();
        Instant newStart = slot();

        Map<String, Object> changes = new java.util.HashMap<>();
        changes.put("summary", "Renamed");
        changes.put("description", null);
        changes.put("start_time", newStart.toString());
        changes.put("end_time", newStart.plus(30, ChronoUnit.MINUTES).toString());
        changes.put("attendees", List.of("new@example.com"));
        ApiResponse patched = sales.patch(EVENTS + "/" + id, changes);

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        JsonNode event = patched.json();
        assertThat(event.path("summary").asString()).isEqualTo("Renamed");
        assertThat(event.path("description").isNull()).isTrue();
        assertThat(event.path("start_time").asString()).isEqualTo(newStart.toString());
        assertThat(event.path("attendees").findValuesAsString("email")).containsExactly("new@example.com");

        JsonNode google = CalendarTestSupport.google().events(created.path("calendar_id").asString()).stream()
                .filter(e -> e.path("id").asString().equals(created.path("google_event_id").asString()))
                .findFirst().orElseThrow();
        assertThat(google.path("summary").asString()).isEqualTo("Renamed");
        assertThat(google.path("description").isMissingNode() || google.path("description").isNull()).isTrue();
        assertThat(sales.get(EVENTS + "/" + id).json().path("summary").asString()).isEqualTo("Renamed");
    }

    @Test
    void patchRevalidatesMergedTimes() {
        JsonNode created = sales.post(EVENTS, meeting(unique("Times"), slot())).json();
        Instant start = Instant.parse(created.path("start_time").asString());

        ApiResponse invalid = sales.patch(EVENTS + "/" + created.path("id").asString(),
                Map.of("end_time", start.minus(1, ChronoUnit.HOURS).toString()));

        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().at("/error/details/0/field").asString()).isEqualTo("end_time");
        assertThat(sales.get(EVENTS + "/" + created.path("id").asString()).json().path("end_time").asString())
                .isEqualTo(created.path("end_time").asString());
    }

    @Test
    void cancelsSoftlyAndRepeatsHarmlessly() {
        String summary = unique("Cancel me");
        JsonNode created = sales.post(EVENTS, meeting(summary, slot())).json();
        String id = created.path("id").asString();

        ApiResponse cancelled = sales.delete(EVENTS + "/" + id);
        ApiResponse again = sales.delete(EVENTS + "/" + id);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asString()).isEqualTo("cancelled");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("status").asString()).isEqualTo("cancelled");
        assertThat(googleEventsWithSummary(summary)).singleElement()
                .satisfies(e -> assertThat(e.path("status").asString()).isEqualTo("cancelled"));
        assertThat(sales.get(EVENTS + "/" + id).json().path("status").asString()).isEqualTo("cancelled");

        String entityFilter = created.path("start_time").asString();
        ApiResponse hidden = sales.get(EVENTS, Map.of("time_min", entityFilter, "limit", 500));
        assertThat(hidden.json().findValuesAsString("id")).doesNotContain(id);
        ApiResponse shown = sales.get(EVENTS, Map.of("status", "cancelled", "limit", 500,
                "time_min", Instant.parse(entityFilter).minusSeconds(1).toString()));
        assertThat(shown.json().findValuesAsString("id")).contains(id);

        ApiResponse patchCancelled = sales.patch(EVENTS + "/" + id, Map.of("summary", "Too late"));
        assertThat(patchCancelled.status()).isEqualTo(409);
    }
}
