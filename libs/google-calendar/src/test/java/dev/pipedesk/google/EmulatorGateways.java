package dev.pipedesk.google;

import com.google.api.client.http.javanet.NetHttpTransport;
import dev.pipedesk.core.Env;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.localaws.TestClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real gateway on the emulator whose retry pauses are recorded and pass on the test's clock, not in real time. */
final class EmulatorGateways {
    private EmulatorGateways() {
    }

    /**
     * @param actingAs the Workspace user the service account impersonates
     * @param more     further settings ({@code GOOGLE_RETRY_MAX_ATTEMPTS}, ...)
     * @param pauses   where each retry pause is recorded
     */
    static GoogleCalendarGateway on(GoogleCalendarEmulator emulator, String actingAs, Map<String, String> more,
                                    List<Duration> pauses, TestClock clock) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GOOGLE_SERVICE_ACCOUNT_JSON", emulator.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"));
        env.put("GOOGLE_IMPERSONATE_USER", actingAs);
        env.put("GOOGLE_CALENDAR_ROOT_URL", emulator.rootUrl().toString());
        env.putAll(more);
        GoogleCalendarSettings settings = GoogleCalendarSettings.fromEnv(new Env(env));
        return new GoogleCalendarGateway(settings, new NetHttpTransport(), GoogleCalendarGateway.credentials(settings),
                pause -> {
                    pauses.add(pause);
                    clock.advance(pause);
                }, clock);
    }
}
