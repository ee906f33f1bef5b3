package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.postgres.EventQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventInputTest {

    @SuppressWarnings("unchecked")
    private static List<FieldError> errorsOf(Runnable parse) {
        try {
            parse.run();
        } catch (ApiException e) {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            return (List<FieldError>) e.details();
        }
        throw new AssertionError("expected a validation error");
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void appliesDefaultsToAMinimalCreate() {
        NewEvent event = EventInput.parseNew("""
                {"start_time":"2030-01-01T10:00:00Z","end_time":"2030-01-01T12:00:00+01:00"}""");
        assertThat(event.summary()).isEqualTo("Untitled Event");
        assertThat(event.createMeetLink()).isTrue();
        assertThat(event.calendarId()).as("null: the service's default calendar").isNull();
        assertThat(event.startTime()).isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(event.endTime()).isEqualTo(Instant.parse("2030-01-01T11:00:00Z"));
        assertThat(event.attendees()).isEmpty();
        assertThat(event.entityType()).isNull();
    }

    @Test
    void acceptsCamelCaseAliasesAndTitle() {
        NewEvent event = EventInput.parseNew("""
                {"title":"Demo","startTime":"2030-01-01T10:00:00Z","endTime":"2030-01-01T11:00:00Z",
                 "createMeetLink":false,"entityType":"deal","entityId":"d-1","calendarId":"team@example.com"}""");
        assertThat(event.summary()).isEqualTo("Demo");
        assertThat(event.createMeetLink()).isFalse();
        assertThat(event.entityType()).isEqualTo(EntityType.DEAL);
        assertThat(event.entityId()).isEqualTo("d-1");
        assertThat(event.calendarId()).isEqualTo("team@example.com");
    }

    @Test
    void rejectsATimeWithoutOffsetInsteadOfGuessing() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew("""
                {"start_time":"2030-01-01T10:00:00","end_time":"2030-01-01T11:00:00Z"}"""));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("start_time");
            assertThat(e.message()).contains("UTC offset");
        });
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew("""
                {"summary":5,"end_time":"tomorrow","attendees":["ok@example.com","not-an-email"],
                 "create_meet_link":"yes","entity_type":"invoice","entity_id":"1"}"""));
        assertThat(fields(errors)).containsExactlyInAnyOrder(
                "summary", "start_time", "end_time", "attendees[1]", "create_meet_link", "entity_type");
    }

    @Test
    void requiresEndAfterStart() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew("""
                {"start_time":"2030-01-01T10:00:00Z","end_time":"2030-01-01T10:00:00Z"}"""));
        assertThat(fields(errors)).containsExactly("end_time");
    }

    @Test
    void entityTypeAndIdGoTogether() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew("""
                {"start_time":"2030-01-01T10:00:00Z","end_time":"2030-01-01T11:00:00Z","entity_type":"lead"}"""));
        assertThat(fields(errors)).containsExactly("entity_id");
    }

    @Test
    void deduplicatesAttendeesCaseInsensitively() {
        NewEvent event = EventInput.parseNew("""
                {"start_time":"2030-01-01T10:00:00Z","end_time":"2030-01-01T11:00:00Z",
                 "attendees":["Ana@Example.com","ana@example.com",{"email":"bo@example.com"}]}""");
        assertThat(event.attendees()).containsExactly("ana@example.com", "bo@example.com");
    }

    @Test
    void limitsAttendeesTo200() {
        String many = IntStream.range(0, 201).mapToObj(i -> "\"p" + i + "@example.com\"").collect(Collectors.joining(","));
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew(
                "{\"start_time\":\"2030-01-01T10:00:00Z\",\"end_time\":\"2030-01-01T11:00:00Z\",\"attendees\":[" + many + "]}"));
        assertThat(fields(errors)).containsExactly("attendees");
    }

    @Test
    void malformedJsonIsABadRequest() {
        assertThatThrownBy(() -> EventInput.parseNew("{not json"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> EventInput.parseNew("[1,2]"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void patchKeepsAbsentFieldsClearsNullOnesAndSetsGivenOnes() {
        EventChanges changes = EventInput.parseChanges("""
                {"description":null,"attendees":["x@example.com"]}""");
        assertThat(changes.summary()).isEqualTo(FieldChange.keep());
        assertThat(changes.description()).isEqualTo(FieldChange.clear());
        assertThat(changes.attendees()).isEqualTo(FieldChange.set(List.of("x@example.com")));
        assertThat(changes.startTime()).isEqualTo(FieldChange.keep());
        assertThat(changes.entity()).isEqualTo(FieldChange.keep());
    }

    @Test
    void patchClearsTheEntityLinkWithNulls() {
        EventChanges changes = EventInput.parseChanges("""
                {"entity_type":null,"entity_id":null}""");
        assertThat(changes.entity()).isEqualTo(FieldChange.clear());
    }

    @Test
    void patchSetsTheEntityLinkAndTrimmedSummary() {
        EventChanges changes = EventInput.parseChanges("""
                {"title":"  Renamed ","entityType":"lead","entityId":42}""");
        assertThat(changes.summary()).isEqualTo(FieldChange.set("Renamed"));
        assertThat(changes.entity()).isEqualTo(FieldChange.set(new EventChanges.EntityLink(EntityType.LEAD, "42")));
    }

    @Test
    void patchTreatsNullAttendeesAsNone() {
        EventChanges changes = EventInput.parseChanges("""
                {"attendees":null}""");
        assertThat(changes.attendees()).isEqualTo(FieldChange.set(List.of()));
    }

    @Test
    void patchRefusesToNullRequiredFields() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseChanges("""
                {"summary":null,"start_time":null}"""));
        assertThat(fields(errors)).containsExactlyInAnyOrder("summary", "start_time");
    }

    @Test
    void parsesListFiltersWithAliases() {
        EventQuery query = EventInput.parseQuery(Map.of("timeMin", "2030-01-01T00:00:00Z", "time_max", "2030-02-01T00:00:00Z",
                "status", "cancelled", "entity_type", "lead", "entity_id", "l-9", "limit", "20", "offset", "40"));
        assertThat(query.timeMin()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(query.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(query.entityType()).isEqualTo(EntityType.LEAD);
        assertThat(query.limit()).isEqualTo(20);
        assertThat(query.offset()).isEqualTo(40);
    }

    @Test
    void listDefaultsHideCancelledAndPageBy100() {
        EventQuery query = EventInput.parseQuery(Map.of());
        assertThat(query.status()).isNull();
        assertThat(query.allStatuses()).isFalse();
        assertThat(query.limit()).isEqualTo(100);
        assertThat(query.offset()).isZero();
    }

    @Test
    void rejectsOutOfRangePagingAndBadFilters() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseQuery(Map.of("limit", "501", "offset", "-1",
                "status", "done", "entity_type", "invoice", "time_min", "yesterday")));
        assertThat(fields(errors)).containsExactlyInAnyOrder("limit", "offset", "status", "entity_type", "time_min");
    }
}
