package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    /** The 422 details {@code throwIfInvalid} reports. */
    @SuppressWarnings("unchecked")
    private static List<FieldError> problemsOf(QueryParameters parameters) {
        ApiException invalid = catchThrowableOfType(ApiException.class, parameters::throwIfInvalid);
        assertThat(invalid.errorCode().status()).isEqualTo(422);
        return (List<FieldError>) invalid.details();
    }

    @Test
    void readsTheNameThenTheAliasTrimmedAndTreatsBlankAsAbsent() {
        QueryParameters parameters = new QueryParameters(Map.of("entity_type", " ", "entityType", " deal ", "limit", ""));

        assertThat(parameters.text("entity_type", "entityType")).isEqualTo("deal");
        assertThat(parameters.text("limit")).isNull();
        assertThat(parameters.text("absent", "alsoAbsent")).isNull();
    }

    @Test
    void aValueWithANulOrAnUnpairedSurrogateIsReportedOnceAndReadAsAbsent() {
        QueryParameters parameters = new QueryParameters(Map.of("entity_id", "deal\u0000", "calendarId", "\uD800team"));

        assertThat(parameters.text("entity_id")).isNull();
        assertThat(parameters.text("entity_id")).isNull();
        assertThat(parameters.text("calendar_id", "calendarId")).isNull();
        assertThat(problemsOf(parameters)).containsExactly(
                new FieldError("entity_id", TextInput.NUL),
                new FieldError("calendar_id", TextInput.UNPAIRED_SURROGATE));
    }

    @Test
    void aChoiceOutsideItsSetIsReportedWithTheGivenMessage() {
        QueryParameters parameters = new QueryParameters(Map.of("color", "mauve", "size", "s"));

        String size = parameters.choice("size", null, raw -> Optional.of(raw.toUpperCase()), "never");
        String color = parameters.choice("color", null, raw -> Optional.empty(), "must be red or blue");

        assertThat(size).isEqualTo("S");
        assertThat(color).isNull();
        assertThat(problemsOf(parameters)).containsExactly(new FieldError("color", "must be red or blue"));
    }

    @Test
    void integersOutsideTheirRangeOrNotIntegersFallBackAndAreReported() {
        QueryParameters parameters = new QueryParameters(Map.of("limit", "0", "offset", "x", "page", "ten", "size", "7"));

        assertThat(parameters.integer("limit", 50, 1, 200, QueryParameters.NotAnInteger.PLAIN)).isEqualTo(50);
        assertThat(parameters.integer("offset", 0, 0, Integer.MAX_VALUE, QueryParameters.NotAnInteger.WITH_RANGE)).isZero();
        assertThat(parameters.integer("page", 1, 1, 9, QueryParameters.NotAnInteger.WITH_RANGE)).isEqualTo(1);
        assertThat(parameters.integer("size", 10, 1, 9, QueryParameters.NotAnInteger.PLAIN)).isEqualTo(7);
        assertThat(parameters.integer("absent", 3, 1, 9, QueryParameters.NotAnInteger.PLAIN)).isEqualTo(3);
        assertThat(problemsOf(parameters)).containsExactly(
                new FieldError("limit", "must be between 1 and 200"),
                new FieldError("offset", "must be an integer of at least 0"),
                new FieldError("page", "must be an integer between 1 and 9"));
    }

    @Test
    void aPageIsALimitAndACursorOrAnOffsetNeverBoth() {
        assertThat(new QueryParameters(Map.of()).page(50, 200, 10_000)).isEqualTo(new QueryParameters.Page(50, null, 0));
        assertThat(new QueryParameters(Map.of("limit", "7", "offset", "30")).page(50, 200, 10_000))
                .isEqualTo(new QueryParameters.Page(7, null, 30));

        QueryParameters both = new QueryParameters(Map.of("limit", "201", "cursor", " c ", "offset", "30"));
        assertThat(both.page(50, 200, 10_000)).isEqualTo(new QueryParameters.Page(50, "c", 0));
        assertThat(problemsOf(both)).containsExactly(new FieldError("limit", "must be between 1 and 200"),
                new FieldError("offset", "cannot be combined with cursor; the cursor already says where the page starts"));

        QueryParameters tooDeep = new QueryParameters(Map.of("offset", "10001"));
        assertThat(tooDeep.page(50, 200, 10_000).offset()).isZero();
        assertThat(problemsOf(tooDeep)).containsExactly(new FieldError("offset", "must be between 0 and 10000"));
    }

    @Test
    void aDateRangeTakesWholeUtcDaysAndMustNotBeEmpty() {
        QueryParameters days = new QueryParameters(Map.of("from", "2026-03-01", "to", "2026-03-01"));
        assertThat(days.timeRange("from", null, "to", null, DateTimeInput.Form.DATE_TIME_OR_DATE))
                .isEqualTo(new QueryParameters.TimeRange(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z")));

        QueryParameters empty = new QueryParameters(Map.of("from", "2026-03-01T10:00:00Z", "to", "2026-03-01T10:00:00Z"));
        empty.timeRange("from", null, "to", null, DateTimeInput.Form.DATE_TIME);
        assertThat(problemsOf(empty)).containsExactly(new FieldError("to", "must be after from"));
    }

    @Test
    void aDateTimeFormRefusesPlainDatesAndTimesWithoutAnOffset() {
        QueryParameters parameters = new QueryParameters(Map.of("from", "2026-03-01", "to", "2026-03-01T10:00:00"));

        assertThat(parameters.timeRange("from", null, "to", null, DateTimeInput.Form.DATE_TIME))
                .isEqualTo(new QueryParameters.TimeRange(null, null));
        assertThat(problemsOf(parameters)).containsExactly(
                new FieldError("from", "must be an ISO-8601 date-time with a UTC offset, e.g. 2026-03-01T14:00:00Z"),
                new FieldError("to", DateTimeInput.NO_OFFSET));
    }

    @Test
    void tellsWhetherAFieldOtherThanSomeHasAProblem() {
        QueryParameters parameters = new QueryParameters(Map.of());
        parameters.reject("limit", "must be between 1 and 200");

        assertThat(parameters.hasProblemsBesides("limit", "offset")).isFalse();
        assertThat(parameters.hasProblemsBesides("offset")).isTrue();
    }

    @Test
    void withoutProblemsNothingIsThrown() {
        QueryParameters parameters = new QueryParameters(Map.of("a", "1"));
        parameters.text("a");

        parameters.throwIfInvalid();
        assertThatThrownBy(() -> {
            parameters.reject("a", "bad");
            parameters.throwIfInvalid();
        }).isInstanceOf(ApiException.class);
    }
}
