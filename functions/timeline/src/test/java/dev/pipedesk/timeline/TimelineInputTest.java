package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.http.testing.ValidationErrors;
import dev.pipedesk.postgres.TimelinePosition;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineSource;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimelineInputTest {
    private static final Principal VIEWER = new Principal("u-1", "viewer@example.com", Role.VIEWER);
    private static final Principal CLIENT = new Principal("c-1", "Client@Example.com", Role.CLIENT);
    private static final Set<TimelineSource> ALL = EnumSet.allOf(TimelineSource.class);
    private static final TimelinePosition POSITION = new TimelinePosition(Instant.parse("2026-03-01T12:00:00Z"),
            TimelineSource.EMAIL, "6f1c1c3e-0000-4000-8000-000000000001");

    private static TimelineRequest parse(Map<String, String> query) {
        return TimelineInput.parse("deal", "d-1", query, VIEWER, false);
    }

    private static List<FieldError> errorsOf(String type, String id, Map<String, String> query) {
        return ValidationErrors.of(() -> TimelineInput.parse(type, id, query, VIEWER, false), type + "/" + id + " " + query);
    }

    private static List<String> fields(List<FieldError> errors) {
        return ValidationErrors.fields(errors);
    }

    private static String cursorFor(TimelineQuery filters, long total) {
        return TimelineCursor.encode(POSITION, total, filters);
    }

    @Test
    void noParametersMeansEverySourceNewestFirstFiftyAtATime() {
        TimelineRequest request = parse(Map.of());

        assertThat(request).isEqualTo(new TimelineRequest(
                new TimelineQuery(EntityType.DEAL, "d-1", ALL, null, null, 50, null, 0, null), null));
    }

    @Test
    void readsTypesDatesLimitAndOffset() {
        TimelineRequest request = parse(Map.of("types", "email, meeting,email", "since", "2026-03-01T11:00:00-03:00",
                "until", "2026-03-02T00:00:00Z", "limit", "200", "offset", "40"));

        assertThat(request.query()).isEqualTo(new TimelineQuery(EntityType.DEAL, "d-1",
                EnumSet.of(TimelineSource.EMAIL, TimelineSource.MEETING), Instant.parse("2026-03-01T14:00:00Z"),
                Instant.parse("2026-03-02T00:00:00Z"), 200, null, 40, null));
    }

    @Test
    void aCursorGivesThePositionAndTheTotalItCarries() {
        Map<String, String> filters = Map.of("types", "audit,email", "since", "2026-01-01T00:00:00Z");
        TimelineQuery first = parse(filters).query();
        Map<String, String> next = new HashMap<>(filters);
        next.put("cursor", cursorFor(first, 1234));
        next.put("limit", "10");

        TimelineRequest request = parse(next);

        assertThat(request.query().after()).isEqualTo(POSITION);
        assertThat(request.query().limit()).isEqualTo(10);
        assertThat(request.knownTotal()).isEqualTo(1234);
    }

    @Test
    void reportsEveryProblemAtOnceWithItsField() {
        Map<String, String> query = new HashMap<>();
        query.put("types", "meeting,call");
        query.put("since", "2026-03-01T12:00:00");
        query.put("until", "yesterday");
        query.put("limit", "0");
        query.put("offset", "-1");

        List<FieldError> errors = errorsOf("account", " ", query);

        assertThat(fields(errors)).containsExactly("entity_type", "entity_id", "types", "since", "until", "limit",
                "offset");
        assertThat(errors.getFirst().message()).isEqualTo("must be one of lead, deal, contact");
        assertThat(errors.get(2).message()).isEqualTo(TimelineInput.TYPES_PROBLEM);
        assertThat(errors.get(3).message()).contains("UTC offset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Deal", "DEAL", "deals", "calendar_event", ""})
    void theEntityTypeIsLeadDealOrContactExactly(String type) {
        assertThat(fields(errorsOf(type, "d-1", Map.of()))).containsExactly("entity_type");
    }

    @Test
    void anEmptyRangeAnEmptyTypeAndATooLongIdAreRefused() {
        assertThat(fields(errorsOf("lead", "x".repeat(256), Map.of("types", "audit,", "since", "2026-03-02T00:00:00Z",
                "until", "2026-03-01T00:00:00Z")))).containsExactly("entity_id", "types", "until");
    }

    @Test
    void limitAndOffsetHaveBounds() {
        assertThat(fields(errorsOf("lead", "l", Map.of("limit", "201", "offset", "10001"))))
                .containsExactly("limit", "offset");
        assertThat(parse(Map.of("offset", "10000")).query().offset()).isEqualTo(10_000);
    }

    @Test
    void offsetAndCursorTogetherAre422OnOffset() {
        String cursor = cursorFor(parse(Map.of()).query(), 5);

        assertThat(fields(errorsOf("deal", "d-1", Map.of("cursor", cursor, "offset", "0")))).containsExactly("offset");
    }

    @Test
    void aCursorUsedWithOtherFiltersIs422OnCursor() {
        String cursor = cursorFor(parse(Map.of("types", "audit")).query(), 5);

        List<FieldError> otherTypes = errorsOf("deal", "d-1", Map.of("cursor", cursor, "types", "email"));
        List<FieldError> otherEntity = errorsOf("deal", "d-2", Map.of("cursor", cursor, "types", "audit"));
        List<FieldError> otherDates = errorsOf("deal", "d-1", Map.of("cursor", cursor, "types", "audit",
                "until", "2027-01-01T00:00:00Z"));

        assertThat(List.of(otherTypes, otherEntity, otherDates)).allSatisfy(errors -> assertThat(errors)
                .containsExactly(new FieldError("cursor", TimelineCursor.OTHER_FILTERS)));
    }

    @Test
    void aClientsCursorIsNotStaffsAndTheOtherWayRound() {
        TimelineQuery staff = parse(Map.of()).query();
        TimelineQuery client = TimelineInput.parse("deal", "d-1", Map.of(), CLIENT, true).query();

        assertThat(fields(errorsOf("deal", "d-1", Map.of("cursor", cursorFor(client, 1))))).containsExactly("cursor");
        try {
            TimelineInput.parse("deal", "d-1", Map.of("cursor", cursorFor(staff, 1)), CLIENT, true);
            throw new AssertionError("a staff cursor was accepted from a client");
        } catch (ApiException e) {
            assertThat(e.details()).isEqualTo(List.of(new FieldError("cursor", TimelineCursor.OTHER_FILTERS)));
        }
    }

    @Test
    void aClientReadsOnlyTheMeetingsItsEmailAttendsWhateverTypesItAsks() {
        TimelineQuery everything = TimelineInput.parse("deal", "d-1", Map.of(), CLIENT, true).query();
        TimelineQuery auditOnly = TimelineInput.parse("deal", "d-1", Map.of("types", "audit,email"), CLIENT, true)
                .query();
        TimelineQuery withoutEmail = TimelineInput.parse("deal", "d-1", Map.of(),
                new Principal("c-2", null, Role.CLIENT), true).query();

        assertThat(everything.sources()).containsExactly(TimelineSource.MEETING);
        assertThat(everything.attendeeEmail()).isEqualTo("Client@Example.com");
        assertThat(auditOnly.sources()).isEmpty();
        assertThat(withoutEmail.sources()).isEmpty();
    }
}
