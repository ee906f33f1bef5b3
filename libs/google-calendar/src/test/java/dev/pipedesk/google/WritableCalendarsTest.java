package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WritableCalendarsTest {

    @Test
    void withoutConfigurationOnlyThePrimaryCalendarIsWritable() {
        WritableCalendars calendars = WritableCalendars.fromEnv(new Env(Map.of()));

        assertThat(calendars).isEqualTo(WritableCalendars.primaryOnly());
        assertThat(calendars.defaultCalendar()).isEqualTo("primary");
        assertThat(calendars.mayWrite("primary")).isTrue();
        assertThat(calendars.mayWrite("ceo@example.com")).isFalse();
    }

    @Test
    void aDefaultCalendarAloneIsTheOnlyWritableOne() {
        WritableCalendars calendars = WritableCalendars.fromEnv(new Env(Map.of("GOOGLE_DEFAULT_CALENDAR", "sales@example.com")));

        assertThat(calendars.defaultCalendar()).isEqualTo("sales@example.com");
        assertThat(calendars.mayWrite("sales@example.com")).isTrue();
        assertThat(calendars.mayWrite("primary")).isFalse();
    }

    @Test
    void theListIsTrimmedAndComparedExactly() {
        WritableCalendars calendars = WritableCalendars.fromEnv(new Env(Map.of(
                "GOOGLE_DEFAULT_CALENDAR", "primary", "GOOGLE_CALENDARS", " primary , team@example.com,,")));

        assertThat(calendars.writable()).containsExactlyInAnyOrder("primary", "team@example.com");
        assertThat(calendars.mayWrite("team@example.com")).isTrue();
        assertThat(calendars.mayWrite("TEAM@example.com")).isFalse();
        assertThat(calendars.mayWrite("team@example.com ")).isFalse();
    }

    @Test
    void aDefaultOutsideTheListStopsTheStartNamingBothVariables() {
        Env env = new Env(Map.of("GOOGLE_DEFAULT_CALENDAR", "primary", "GOOGLE_CALENDARS", "team@example.com"));

        assertThatThrownBy(() -> WritableCalendars.fromEnv(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GOOGLE_DEFAULT_CALENDAR").hasMessageContaining("GOOGLE_CALENDARS");
    }
}
