package dev.pipedesk.calendar;

import dev.pipedesk.core.Env;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import java.time.Clock;
import java.util.Map;

/**
 * A calendar service wired as {@code CalendarApplication} wires it, on the test's real PostgreSQL,
 * queue and Google Calendar emulator ({@link CalendarBackends}); Google retries and Meet polling
 * pause milliseconds, not seconds.
 */
final class RealCalendarService {
    private RealCalendarService() {
    }

    static CalendarService on(CalendarBackends backends) {
        GoogleCalendarGateway gateway = GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(new Env(
                backends.googleEnvironment(Map.of(
                        "GOOGLE_RETRY_BASE_DELAY_MS", "10",
                        "GOOGLE_RETRY_MAX_DELAY_MS", "80",
                        "MEET_POLL_BASE_DELAY_MS", "10")))));
        return new CalendarService(backends.eventStore(backends.dataSource()), gateway,
                WritableCalendars.primaryOnly(), Clock.systemUTC());
    }
}
