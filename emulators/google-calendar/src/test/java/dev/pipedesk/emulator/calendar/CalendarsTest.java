package dev.pipedesk.emulator.calendar;

import com.google.api.services.calendar.Calendar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** calendars.get: what the sync asks to learn a calendar's own id. */
@Tag("integration")
class CalendarsTest extends EmulatorTestSupport {

    @Test
    void primaryIsTheDelegatedUsersCalendarNamedByTheirEmail() throws Exception {
        Calendar asAlice = client(emulator, "alice@acme.test");

        com.google.api.services.calendar.model.Calendar primary = asAlice.calendars().get("primary").execute();

        assertThat(primary.getKind()).isEqualTo("calendar#calendar");
        assertThat(primary.getId()).isEqualTo("alice@acme.test");
        assertThat(primary.getSummary()).isEqualTo("alice@acme.test");
        assertThat(primary.getTimeZone()).isEqualTo("UTC");
        assertThat(primary.getEtag()).isNotBlank();
    }

    @Test
    void primaryOfAServiceAccountWithoutDelegationIsItsOwnCalendar() throws Exception {
        assertThat(calendar.calendars().get("primary").execute().getId()).isEqualTo(SERVICE_ACCOUNT);
    }

    @Test
    void anyOtherIdComesBackAsGivenWithAStableEtag() throws Exception {
        String id = "team-room@acme.test";

        com.google.api.services.calendar.model.Calendar first = calendar.calendars().get(id).execute();
        calendar.events().insert(id, meeting("Changes the events, not the calendar")).execute();
        com.google.api.services.calendar.model.Calendar second = calendar.calendars().get(id).execute();

        assertThat(first.getId()).isEqualTo(id);
        assertThat(second.getEtag()).isEqualTo(first.getEtag());
    }
}
