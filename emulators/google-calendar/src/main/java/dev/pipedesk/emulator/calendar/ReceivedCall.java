package dev.pipedesk.emulator.calendar;

import java.time.Instant;
import java.util.Map;

/**
 * One HTTP call the emulator received (control calls under {@code /emulator/} are not recorded).
 *
 * @param at              when it arrived
 * @param method          the effective method, after {@code X-HTTP-Method-Override}
 * @param path            the request path, e.g. {@code /calendar/v3/calendars/primary/events}
 * @param query           the raw query string, or empty
 * @param headers         headers of interest when present: If-Match, If-None-Match,
 *                        X-HTTP-Method-Override, Content-Encoding, Content-Type
 * @param body            the request body as text (gunzipped), or empty
 * @param status          the status answered; 0 when the response was dropped on purpose
 * @param responseDropped the connection was closed after the call was processed
 *                        ({@link EmulatorControl#dropResponseAfterCommit})
 */
public record ReceivedCall(
        Instant at,
        String method,
        String path,
        String query,
        Map<String, String> headers,
        String body,
        int status,
        boolean responseDropped) {

    public ReceivedCall {
        headers = Map.copyOf(headers);
    }

    /** The value of a recorded header (case-insensitive name), or null. */
    public String header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
