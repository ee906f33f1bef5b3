package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateTimeInputTest {

    private final List<FieldError> problems = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"1500-06-01T10:00:00Z", "1899-12-31T23:59:59Z", "1900-01-01T00:30:00+01:00",
            "+10000-01-01T00:00:00Z", "9999-12-31T23:00:00-03:00", "+99999-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z", "+999999999-12-31T23:59:59-18:00"})
    void aDateTimeOutsideTheYears1900To9999InUtcIsRefused(String raw) {
        assertThat(DateTimeInput.dateTime(raw, "start_time", problems)).isNull();
        assertThat(problems).containsExactly(new FieldError("start_time", "must be between the years 1900 and 9999 (UTC)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-03-01T11:00:00-03:00"})
    void aDateTimeWithinTheYearsIsRead(String raw) {
        assertThat(DateTimeInput.dateTime(raw, "start_time", problems)).isNotNull();
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DateTimeInput.Bound.class)
    void aDateOutsideTheYearsIsRefusedAtEitherBound(DateTimeInput.Bound bound) {
        assertThat(DateTimeInput.parse("1899-12-31", "start_date", DateTimeInput.Form.DATE_TIME_OR_DATE, bound, problems))
                .isNull();
        assertThat(DateTimeInput.parse("+10000-01-01", "start_date", DateTimeInput.Form.DATE_TIME_OR_DATE, bound, problems))
                .isNull();
        assertThat(problems).extracting(FieldError::message).containsOnly(DateTimeInput.OUTSIDE_YEARS).hasSize(2);
    }

    @Test
    void theLastDayOfTheLastYearIsAnEndDateIncludingThatDay() {
        assertThat(DateTimeInput.parse("9999-12-31", "end_date", DateTimeInput.Form.DATE_TIME_OR_DATE,
                DateTimeInput.Bound.END, problems)).isEqualTo(Instant.parse("+10000-01-01T00:00:00Z"));
        assertThat(DateTimeInput.parse("1900-01-01", "start_date", DateTimeInput.Form.DATE_TIME_OR_DATE,
                DateTimeInput.Bound.START, problems)).isEqualTo(DateTimeInput.EARLIEST);
        assertThat(problems).isEmpty();
    }
}
