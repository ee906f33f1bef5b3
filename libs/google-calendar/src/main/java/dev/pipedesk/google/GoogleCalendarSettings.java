package dev.pipedesk.google;

import dev.pipedesk.core.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach Google Calendar.
 * <ul>
 * <li>{@code GOOGLE_SERVICE_ACCOUNT_JSON}: the service-account key JSON itself, or
 * {@code GOOGLE_SERVICE_ACCOUNT_FILE}: a path to it.</li>
 * <li>{@code GOOGLE_IMPERSONATE_USER}: optional domain-wide-delegation subject (a Workspace
 * user's email); needed for Meet links and attendees on a Workspace calendar.</li>
 * <li>{@code GOOGLE_CALENDAR_ROOT_URL}: optional root URL override (the local emulator).</li>
 * <li>{@code GOOGLE_RETRY_MAX_ATTEMPTS} (5), {@code GOOGLE_RETRY_BASE_DELAY_MS} (500),
 * {@code GOOGLE_RETRY_MAX_DELAY_MS} (8000), {@code GOOGLE_RETRY_MAX_ELAPSED_MS} (15000):
 * truncated exponential backoff with jitter for transient Google failures.</li>
 * <li>{@code MEET_POLL_MAX_ATTEMPTS} (6), {@code MEET_POLL_BASE_DELAY_MS} (250): how long a
 * pending Meet conference is re-read before the event is returned with status pending.</li>
 * </ul>
 */
public record GoogleCalendarSettings(
        String serviceAccountJson,
        String impersonateUser,
        String rootUrl,
        RetryPolicy retryPolicy,
        RetryPolicy meetPollPolicy,
        Duration connectTimeout,
        Duration readTimeout) {

    public static final String SERVICE_ACCOUNT_JSON_VARIABLE = "GOOGLE_SERVICE_ACCOUNT_JSON";
    public static final String SERVICE_ACCOUNT_FILE_VARIABLE = "GOOGLE_SERVICE_ACCOUNT_FILE";
    public static final String IMPERSONATE_USER_VARIABLE = "GOOGLE_IMPERSONATE_USER";
    public static final String ROOT_URL_VARIABLE = "GOOGLE_CALENDAR_ROOT_URL";
    public static final String RETRY_MAX_ATTEMPTS_VARIABLE = "GOOGLE_RETRY_MAX_ATTEMPTS";
    public static final String RETRY_BASE_DELAY_VARIABLE = "GOOGLE_RETRY_BASE_DELAY_MS";
    public static final String RETRY_MAX_DELAY_VARIABLE = "GOOGLE_RETRY_MAX_DELAY_MS";
    public static final String RETRY_MAX_ELAPSED_VARIABLE = "GOOGLE_RETRY_MAX_ELAPSED_MS";
    public static final String MEET_POLL_MAX_ATTEMPTS_VARIABLE = "MEET_POLL_MAX_ATTEMPTS";
    public static final String MEET_POLL_BASE_DELAY_VARIABLE = "MEET_POLL_BASE_DELAY_MS";
    /** Every variable {@link #fromEnv} reads. */
    public static final List<String> VARIABLES = List.of(SERVICE_ACCOUNT_JSON_VARIABLE, SERVICE_ACCOUNT_FILE_VARIABLE,
            IMPERSONATE_USER_VARIABLE, ROOT_URL_VARIABLE, RETRY_MAX_ATTEMPTS_VARIABLE, RETRY_BASE_DELAY_VARIABLE,
            RETRY_MAX_DELAY_VARIABLE, RETRY_MAX_ELAPSED_VARIABLE, MEET_POLL_MAX_ATTEMPTS_VARIABLE,
            MEET_POLL_BASE_DELAY_VARIABLE);

    public static GoogleCalendarSettings fromEnv(Env env) {
        String json = env.optional(SERVICE_ACCOUNT_JSON_VARIABLE).orElseGet(() -> {
            String file = env.optional(SERVICE_ACCOUNT_FILE_VARIABLE).orElseThrow(() -> new IllegalStateException(
                    "Set " + SERVICE_ACCOUNT_JSON_VARIABLE + " or " + SERVICE_ACCOUNT_FILE_VARIABLE));
            try {
                return Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + SERVICE_ACCOUNT_FILE_VARIABLE + " " + file, e);
            }
        });
        RetryPolicy retry = new RetryPolicy(
                env.getInt(RETRY_MAX_ATTEMPTS_VARIABLE, 5),
                Duration.ofMillis(env.getInt(RETRY_BASE_DELAY_VARIABLE, 500)),
                Duration.ofMillis(env.getInt(RETRY_MAX_DELAY_VARIABLE, 8000)),
                Duration.ofMillis(env.getInt(RETRY_MAX_ELAPSED_VARIABLE, 15000)));
        RetryPolicy meetPoll = new RetryPolicy(
                env.getInt(MEET_POLL_MAX_ATTEMPTS_VARIABLE, 6),
                Duration.ofMillis(env.getInt(MEET_POLL_BASE_DELAY_VARIABLE, 250)),
                Duration.ofSeconds(2),
                Duration.ofSeconds(8));
        return new GoogleCalendarSettings(json, env.optional(IMPERSONATE_USER_VARIABLE).orElse(null),
                env.optional(ROOT_URL_VARIABLE).orElse(null), retry, meetPoll,
                Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    @Override
    public String toString() {
        return "GoogleCalendarSettings[impersonateUser=" + impersonateUser + ", rootUrl=" + rootUrl + "]";
    }
}
