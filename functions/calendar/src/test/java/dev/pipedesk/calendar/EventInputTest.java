package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.http.testing.ValidationErrors;
import dev.pipedesk.postgres.EventQuery;
import java.time.Instant;
import dev.pipedesk.core.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventInputTest {

    private static List<FieldError> errorsOf(Runnable parse) {
        return ValidationErrors.of(parse);
    }

    private static List<String> fields(List<FieldError> errors) {
        return ValidationErrors.fields(errors);
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

    // ---- hostile input: refused here, before the service (and Google) sees anything ----

    private static final String TIMES = "\"start_time\":\"2030-01-01T10:00:00Z\",\"end_time\":\"2030-01-01T11:00:00Z\"";
    private static final String NUL = "\\u0000";
    private static final String LONE_SURROGATE = "\\uD800";

    @ParameterizedTest
    @ValueSource(strings = {NUL, LONE_SURROGATE})
    void aNulOrAnUnpairedSurrogateInAnyTextOfACreateIsRefusedWithItsPath(String broken) {
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew("{" + TIMES + ",\"summary\":\"Demo" + broken
                + "\",\"description\":\"" + broken + "\",\"calendar_id\":\"primary" + broken
                + "\",\"entity_type\":\"lead" + broken + "\",\"entity_id\":\"l-1" + broken
                + "\",\"attendees\":[\"a@example.com\",{\"email\":\"b@example.com" + broken + "\"}],\"notes\":\"" + broken + "\"}"));

        assertThat(fields(errors)).containsExactly("summary", "description", "calendar_id", "entity_type", "entity_id",
                "attendees[1].email", "notes");
    }

    @ParameterizedTest
    @ValueSource(strings = {NUL, LONE_SURROGATE})
    void aNulOrAnUnpairedSurrogateInAPatchIsRefused(String broken) {
        List<FieldError> errors = errorsOf(() -> EventInput.parseChanges("{\"summary\":\"Renamed" + broken
                + "\",\"end_time\":\"2030-01-01T11:00:00Z" + broken + "\"}"));

        assertThat(fields(errors)).containsExactly("summary", "end_time");
    }

    @Test
    void aValidSurrogatePairIsOrdinaryText() {
        assertThat(EventInput.parseNew("{" + TIMES + ",\"summary\":\"Clef \\uD834\\uDD1E\"}").summary())
                .isEqualTo("Clef \uD834\uDD1E");
    }

    @Test
    void aNulInThePathIdOrTheIdempotencyKeyIsRefused() {
        assertThat(fields(errorsOf(() -> EventInput.eventId("abc\u0000")))).containsExactly("id");
        assertThat(fields(errorsOf(() -> EventInput.idempotencyKey(Optional.of("key\u0000"))))).containsExactly("Idempotency-Key");
        assertThat(EventInput.eventId("3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c")).isEqualTo("3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c");
        assertThat(EventInput.idempotencyKey(Optional.empty())).isNull();
    }

    @Test
    void aNulInAQueryValueIsRefusedOnItsParameter() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseQuery(Map.of("time_min", "2030-01-01T00:00:00Z\u0000",
                "entity_type", "lead", "entity_id", "l-1\u0000", "calendar_id", "primary\u0000", "status", "all\u0000")));

        assertThat(fields(errors)).containsExactlyInAnyOrder("time_min", "entity_id", "calendar_id", "status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1500-06-01T10:00:00Z", "1899-12-31T23:00:00Z", "+10000-01-01T00:00:00Z", "+99999-06-01T10:00:00Z"})
    void aMeetingTimeOutsideTheYears1900To9999IsRefused(String time) {
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew(
                "{\"start_time\":\"" + time + "\",\"end_time\":\"2030-01-01T11:00:00Z\"}"));

        assertThat(errors).containsExactly(new FieldError("start_time", "must be between the years 1900 and 9999 (UTC)"));
    }

    @Test
    void meetingTimesAreTruncatedToWholeSecondsBeforeTheyAreCompared() {
        List<FieldError> errors = errorsOf(() -> EventInput.parseNew("""
                {"start_time":"2030-01-01T10:00:00.1231Z","end_time":"2030-01-01T10:00:00.1239Z"}"""));
        assertThat(errors).containsExactly(new FieldError("end_time", "must be after start_time"));

        NewEvent event = EventInput.parseNew("""
                {"start_time":"2030-01-01T10:00:00.999Z","end_time":"2030-01-01T10:00:01.001Z"}""");
        assertThat(event.startTime()).isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(event.endTime()).isEqualTo(Instant.parse("2030-01-01T10:00:01Z"));

        EventChanges changes = EventInput.parseChanges("""
                {"start_time":"2030-01-01T10:00:00.5-03:00"}""");
        assertThat(changes.startTime()).isEqualTo(FieldChange.set(Instant.parse("2030-01-01T13:00:00Z")));
    }

    @Test
    void aBodyNestedBeyondTheParsersLimitIsABadRequestThatSaysSo() {
        int tooDeep = Json.maxNestingDepth() + 1;
        String body = "{" + TIMES + ",\"attendees\":" + "[".repeat(tooDeep) + "]".repeat(tooDeep) + "}";

        assertThatThrownBy(() -> EventInput.parseNew(body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).contains("nested deeper than " + Json.maxNestingDepth() + " levels");
        });
    }
}
