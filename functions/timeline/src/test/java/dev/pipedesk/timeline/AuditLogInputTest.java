package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.http.testing.ValidationErrors;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuditLogInputTest {
    private static final AuditLogScope ALL = new AuditLogScope.All();

    private static List<FieldError> errorsOf(AuditLogScope scope, Map<String, String> query) {
        return ValidationErrors.of(() -> AuditLogInput.parse(scope, query), query);
    }

    private static List<String> fields(List<FieldError> errors) {
        return ValidationErrors.fields(errors);
    }

    @Test
    void noParametersMeansEverythingNewestFirstFiftyAtATime() {
        AuditLogQuery query = AuditLogInput.parse(ALL, Map.of());

        assertThat(query).isEqualTo(new AuditLogQuery(null, null, null, null, null, null, null, 50, 0));
    }

    @Test
    void readsEveryFilterOfTheListRoute() {
        AuditLogQuery query = AuditLogInput.parse(ALL, Map.of(
                "entity_type", "deal", "action", "status_change", "user_id", " u-7 ",
                "start_date", "2026-03-01T11:00:00-03:00", "end_date", "2026-03-02T00:00:00Z",
                "limit", "200", "offset", "40"));

        assertThat(query).isEqualTo(new AuditLogQuery("deal", null, "status_change", "u-7",
                Instant.parse("2026-03-01T14:00:00Z"), Instant.parse("2026-03-02T00:00:00Z"), null, 200, 40));
    }

    @Test
    void acceptsCamelCaseAliases() {
        AuditLogQuery query = AuditLogInput.parse(ALL, Map.of("entityType", "lead", "userId", "u-1",
                "startDate", "2026-03-01", "endDate", "2026-03-01"));

        assertThat(query.entityType()).isEqualTo("lead");
        assertThat(query.actorId()).isEqualTo("u-1");
        assertThat(query.occurredFrom()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(query.occurredBefore()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    }

    /** A plain date is that whole day in UTC, and the whole of the years 1900 to 9999 can be asked. */
    @ParameterizedTest
    @CsvSource({
            "2026-02-28, 2026-02-28, 2026-02-28T00:00:00Z, 2026-03-01T00:00:00Z",
            "1900-01-01, 9999-12-31, 1900-01-01T00:00:00Z, +10000-01-01T00:00:00Z"})
    void plainDatesAreWholeUtcDays(String startDate, String endDate, String from, String before) {
        AuditLogQuery query = AuditLogInput.parse(ALL, Map.of("start_date", startDate, "end_date", endDate));

        assertThat(query.occurredFrom()).isEqualTo(Instant.parse(from));
        assertThat(query.occurredBefore()).isEqualTo(Instant.parse(before));
    }

    @Test
    void aDateTimeEndIsExclusiveAndTakenAsItIs() {
        AuditLogQuery query = AuditLogInput.parse(ALL, Map.of("end_date", "2026-03-01T10:15:30.5+01:00"));

        assertThat(query.occurredBefore()).isEqualTo(Instant.parse("2026-03-01T09:15:30.5Z"));
        assertThat(query.occurredFrom()).isNull();
    }

    @Test
    void blankParametersCountAsAbsent() {
        AuditLogQuery query = AuditLogInput.parse(ALL, Map.of("entity_type", " ", "limit", "", "offset", "", "cursor", ""));

        assertThat(query).isEqualTo(new AuditLogQuery(null, null, null, null, null, null, null, 50, 0));
    }

    @Test
    void theEntityRouteTakesTypeAndIdFromThePathAndOtherFiltersFromTheQuery() {
        AuditLogQuery query = AuditLogInput.parse(new AuditLogScope.Entity("lead", "l-42"),
                Map.of("action", "update", "user_id", "u-1", "limit", "5"));

        assertThat(query).isEqualTo(new AuditLogQuery("lead", "l-42", "update", "u-1", null, null, null, 5, 0));
    }

    @Test
    void theUserRouteTakesTheActorFromThePath() {
        AuditLogQuery query = AuditLogInput.parse(new AuditLogScope.User("u-9"), Map.of("entity_type", "deal"));

        assertThat(query).isEqualTo(new AuditLogQuery("deal", null, null, "u-9", null, null, null, 50, 0));
    }

    @Test
    void aFilterThePathSetsCannotBeRepeatedInTheQuery() {
        assertThat(fields(errorsOf(new AuditLogScope.Entity("lead", "l-1"), Map.of("entity_type", "lead", "entityId", "l-1"))))
                .containsExactly("entity_type", "entity_id");
        assertThat(fields(errorsOf(new AuditLogScope.User("u-1"), Map.of("user_id", "u-2")))).containsExactly("user_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lead", "lead-type", "1lead", "lead type", "lead;drop", "_lead",
            "a2345678901234567890123456789012345678901234567890123456789012345"})
    void entityTypesAndActionsMustBeLowerCaseIdentifiers(String bad) {
        assertThat(fields(errorsOf(ALL, Map.of("entity_type", bad, "action", bad)))).containsExactly("entity_type", "action");
        assertThat(fields(errorsOf(new AuditLogScope.Entity(bad, "x"), Map.of()))).containsExactly("entity_type");
    }

    @Test
    void identifiersMayHaveDigitsAndUnderscoresUpToSixtyFourCharacters() {
        String longest = "a".repeat(64);
        assertThat(AuditLogInput.parse(ALL, Map.of("entity_type", "calendar_event2", "action", longest)))
                .extracting(AuditLogQuery::entityType, AuditLogQuery::action)
                .containsExactly("calendar_event2", longest);
    }

    @Test
    void idsAreLimitedTo255Characters() {
        assertThat(fields(errorsOf(ALL, Map.of("user_id", "u".repeat(256))))).containsExactly("user_id");
        assertThat(fields(errorsOf(new AuditLogScope.Entity("lead", "l".repeat(256)), Map.of()))).containsExactly("entity_id");
        assertThat(fields(errorsOf(new AuditLogScope.User("u".repeat(256)), Map.of()))).containsExactly("user_id");
        assertThat(AuditLogInput.parse(ALL, Map.of("user_id", "system:calendar-sync")).actorId()).isEqualTo("system:calendar-sync");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-13-01", "2026-02-30", "2026-03-01T25:00:00Z", "01/03/2026", "2026-03-01T10:00"})
    void rejectsDatesThatAreNeitherADateNorADateTimeWithOffset(String bad) {
        List<FieldError> errors = errorsOf(ALL, Map.of("start_date", bad, "end_date", bad));

        assertThat(fields(errors)).containsExactly("start_date", "end_date");
    }

    @Test
    void aDateTimeWithoutOffsetIsRejectedNotGuessed() {
        List<FieldError> errors = errorsOf(ALL, Map.of("start_date", "2026-03-01T10:00:00"));

        assertThat(errors).containsExactly(new FieldError("start_date",
                "must include a UTC offset, e.g. 2026-03-01T14:00:00Z or 2026-03-01T11:00:00-03:00"));
    }

    @Test
    void aPlusDecodedToASpaceGetsAHint() {
        List<FieldError> errors = errorsOf(ALL, Map.of("start_date", "2026-03-01T10:00:00 01:00"));

        assertThat(errors.getFirst().message()).contains("%2B");
    }

    @Test
    void yearsOutside1900To9999AreRejected() {
        assertThat(fields(errorsOf(ALL, Map.of("start_date", "1899-12-31T23:59:59Z", "end_date", "+10000-01-01"))))
                .containsExactly("start_date", "end_date");
        assertThat(fields(errorsOf(ALL, Map.of("start_date", "1500-01-01", "end_date", "+10000-01-01T00:00:00Z"))))
                .containsExactly("start_date", "end_date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"u-1\u0000", "\u0000", "u\uD800"})
    void aNulOrAnUnpairedSurrogateInAPathOrQueryValueIsRejected(String broken) {
        assertThat(fields(errorsOf(ALL, Map.of("user_id", broken, "action", broken, "start_date", broken))))
                .containsExactly("user_id", "action", "start_date");
        assertThat(fields(errorsOf(new AuditLogScope.Entity("lead", broken), Map.of()))).containsExactly("entity_id");
        assertThat(fields(errorsOf(new AuditLogScope.Entity(broken, "l-1"), Map.of()))).containsExactly("entity_type");
        assertThat(fields(errorsOf(new AuditLogScope.User(broken), Map.of()))).containsExactly("user_id");
    }

    @Test
    void theRangeMustNotBeEmpty() {
        assertThat(errorsOf(ALL, Map.of("start_date", "2026-03-02", "end_date", "2026-03-01")))
                .extracting(FieldError::field).containsExactly("end_date");
        assertThat(fields(errorsOf(ALL, Map.of("start_date", "2026-03-01T10:00:00Z", "end_date", "2026-03-01T10:00:00Z"))))
                .containsExactly("end_date");
        assertThat(fields(errorsOf(ALL, Map.of("start_date", "2026-03-01T10:00:00Z", "end_date", "2026-03-01T09:00:00Z"))))
                .containsExactly("end_date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "201", "-1", "ten", "1.5", "99999999999"})
    void limitMustBeAnIntegerFrom1To200(String bad) {
        assertThat(fields(errorsOf(ALL, Map.of("limit", bad)))).containsExactly("limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "x", "3000000000"})
    void offsetMustBeANonNegativeInteger(String bad) {
        assertThat(fields(errorsOf(ALL, Map.of("offset", bad)))).containsExactly("offset");
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        List<FieldError> errors = errorsOf(ALL, Map.of("entity_type", "Lead", "action", "x y", "user_id", "u".repeat(300),
                "start_date", "nope", "end_date", "2026-03-01T10:00", "limit", "0", "offset", "-3", "cursor", "%%%"));

        assertThat(fields(errors)).containsExactly("entity_type", "user_id", "action", "start_date", "end_date", "limit",
                "offset", "cursor");
    }

    @Test
    void aCursorContinuesAfterItsPosition() {
        AuditLogQuery filters = new AuditLogQuery("deal", null, null, null, null, null, null, 50, 0);
        AuditLogPosition position = new AuditLogPosition(Instant.parse("2026-03-01T10:00:00.123456Z"), 77);
        String cursor = AuditLogCursor.encode(position, filters);

        AuditLogQuery query = AuditLogInput.parse(ALL, Map.of("entity_type", "deal", "cursor", cursor, "limit", "10"));

        assertThat(query).isEqualTo(new AuditLogQuery("deal", null, null, null, null, null, position, 10, 0));
    }

    @Test
    void aCursorCannotBeCombinedWithAnOffset() {
        String cursor = AuditLogCursor.encode(new AuditLogPosition(Instant.parse("2026-03-01T10:00:00Z"), 1),
                new AuditLogQuery(null, null, null, null, null, null, null, 50, 0));

        assertThat(fields(errorsOf(ALL, Map.of("cursor", cursor, "offset", "0")))).containsExactly("offset");
    }

    @Test
    void aCursorFromOtherFiltersIsRejected() {
        String cursor = AuditLogCursor.encode(new AuditLogPosition(Instant.parse("2026-03-01T10:00:00Z"), 1),
                new AuditLogQuery("deal", null, null, null, null, null, null, 50, 0));

        assertThat(errorsOf(ALL, Map.of("entity_type", "lead", "cursor", cursor)))
                .containsExactly(new FieldError("cursor", AuditLogCursor.OTHER_FILTERS));
        assertThat(errorsOf(ALL, Map.of("cursor", cursor)))
                .containsExactly(new FieldError("cursor", AuditLogCursor.OTHER_FILTERS));
    }

    @Test
    void aCursorIsCheckedAgainstTheNormalisedFiltersNotTheirSpelling() {
        AuditLogQuery filters = AuditLogInput.parse(ALL, Map.of("start_date", "2026-03-01", "userId", "u-1"));
        String cursor = AuditLogCursor.encode(new AuditLogPosition(Instant.parse("2026-03-05T10:00:00Z"), 9), filters);

        AuditLogQuery again = AuditLogInput.parse(ALL, Map.of("start_date", "2026-03-01T00:00:00Z", "user_id", "u-1",
                "cursor", cursor));

        assertThat(again.after()).isEqualTo(new AuditLogPosition(Instant.parse("2026-03-05T10:00:00Z"), 9));
    }

    @Test
    void aCursorMayBeUsedWithAnotherPageSize() {
        AuditLogQuery filters = new AuditLogQuery(null, null, null, null, null, null, null, 50, 0);
        String cursor = AuditLogCursor.encode(new AuditLogPosition(Instant.parse("2026-03-01T10:00:00Z"), 3), filters);

        assertThat(AuditLogInput.parse(ALL, Map.of("cursor", cursor, "limit", "7")).limit()).isEqualTo(7);
    }

    @Test
    void errorsCollectedForTheCursorAloneDoNotMaskFilterErrors() {
        List<FieldError> errors = new ArrayList<>(errorsOf(ALL, Map.of("entity_type", "BAD", "cursor", "garbage")));

        assertThat(fields(errors)).containsExactly("entity_type", "cursor");
        assertThat(errors.get(1).message()).isEqualTo(AuditLogCursor.INVALID);
    }

    @Test
    void validationFailuresAre422() {
        assertThatThrownBy(() -> AuditLogInput.parse(ALL, Map.of("limit", "0")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode().status()).isEqualTo(422));
    }
}
