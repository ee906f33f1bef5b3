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
 * {@code GOOGLE_SERVICE_ACCOUNT_FILE}: a path to it, or (in AWS)
 * {@code GOOGLE_SERVICE_ACCOUNT_SECRET_ARN}: a Secrets Manager secret holding it, read when the
 * first Google call needs credentials and again after the secrets' TTL
 * ({@link GoogleCalendarGateway#create(GoogleCalendarSettings, dev.pipedesk.secrets.Secrets)}).</li>
 * <li>{@code GOOGLE_IMPERSONATE_USER}: optional domain-wide-delegation subject (a Workspace
 * user's email); needed for Meet links and attendees on a Workspace calendar.</li>
 * <li>{@code GOOGLE_CALENDAR_ROOT_URL}: optional root URL override (the local emulator).</li>
 * <li>{@code GOOGLE_RETRY_MAX_ATTEMPTS} (5), {@code GOOGLE_RETRY_BASE_DELAY_MS} (500),
 * {@code GOOGLE_RETRY_MAX_DELAY_MS} (8000): truncated exponential backoff with jitter for
 * transient Google failures; {@code GOOGLE_RETRY_MAX_ELAPSED_MS} (12000): the most one Google call
 * may take, its attempts (their timeouts cut to fit) and pauses together.</li>
 * <li>{@code MEET_POLL_MAX_ATTEMPTS} (6), {@code MEET_POLL_BASE_DELAY_MS} (250),
 * {@code MEET_POLL_MAX_ELAPSED_MS} (6000): how often and how long a pending Meet conference is
 * re-read before the event is returned with status pending.</li>
 * <li>{@code GOOGLE_SYNC_PAGE_SIZE} (2500, at most 2500): {@code maxResults} of the sync's
 * {@code events.list} pages.</li>
 * <li>Fixed: connect timeout 5 s and read timeout 15 s per attempt, both cut to the call's
 * deadline.</li>
 * </ul>
 */
public record GoogleCalendarSettings(
        String serviceAccountJson,
        String serviceAccountSecretArn,
        String impersonateUser,
        String rootUrl,
        RetryPolicy retryPolicy,
        RetryPolicy meetPollPolicy,
        Duration connectTimeout,
        Duration readTimeout,
        int syncPageSize) {

    /** The most {@code events.list} answers per page (its {@code maxResults} maximum). */
    public static final int MAX_SYNC_PAGE_SIZE = 2500;

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable {
        GOOGLE_SERVICE_ACCOUNT_JSON, GOOGLE_SERVICE_ACCOUNT_FILE, GOOGLE_SERVICE_ACCOUNT_SECRET_ARN, GOOGLE_IMPERSONATE_USER, GOOGLE_CALENDAR_ROOT_URL,
        GOOGLE_RETRY_MAX_ATTEMPTS, GOOGLE_RETRY_BASE_DELAY_MS, GOOGLE_RETRY_MAX_DELAY_MS, GOOGLE_RETRY_MAX_ELAPSED_MS,
        MEET_POLL_MAX_ATTEMPTS, MEET_POLL_BASE_DELAY_MS, MEET_POLL_MAX_ELAPSED_MS, GOOGLE_SYNC_PAGE_SIZE
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    /**
     * @param serviceAccountJson      the key JSON, or null with {@code serviceAccountSecretArn}
     * @param serviceAccountSecretArn the Secrets Manager secret holding the key JSON, or null
     */
    public GoogleCalendarSettings {
        if ((serviceAccountJson == null) == (serviceAccountSecretArn == null)) {
            throw new IllegalArgumentException("exactly one of the service-account key JSON and its secret ARN is needed");
        }
        if (syncPageSize < 1 || syncPageSize > MAX_SYNC_PAGE_SIZE) {
            throw new IllegalArgumentException(Variable.GOOGLE_SYNC_PAGE_SIZE + " must be between 1 and "
                    + MAX_SYNC_PAGE_SIZE + ", got " + syncPageSize);
        }
    }

    public static GoogleCalendarSettings fromEnv(Env env) {
        String secretArn = env.optional(Variable.GOOGLE_SERVICE_ACCOUNT_SECRET_ARN.name()).orElse(null);
        if (secretArn != null) {
            for (Variable plain : List.of(Variable.GOOGLE_SERVICE_ACCOUNT_JSON, Variable.GOOGLE_SERVICE_ACCOUNT_FILE)) {
                if (env.optional(plain.name()).isPresent()) {
                    throw new IllegalStateException(Variable.GOOGLE_SERVICE_ACCOUNT_SECRET_ARN + " and " + plain
                            + " are both set: give the service-account key one way only (the ARN in AWS)");
                }
            }
        }
        String json = secretArn != null ? null : env.optional(Variable.GOOGLE_SERVICE_ACCOUNT_JSON.name()).orElseGet(() -> {
            String file = env.optional(Variable.GOOGLE_SERVICE_ACCOUNT_FILE.name()).orElseThrow(() ->
                    new IllegalStateException("Set " + Variable.GOOGLE_SERVICE_ACCOUNT_JSON + ", "
                            + Variable.GOOGLE_SERVICE_ACCOUNT_FILE + " or " + Variable.GOOGLE_SERVICE_ACCOUNT_SECRET_ARN));
            try {
                return Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + Variable.GOOGLE_SERVICE_ACCOUNT_FILE + " " + file, e);
            }
        });
        RetryPolicy retry = new RetryPolicy(
                env.getInt(Variable.GOOGLE_RETRY_MAX_ATTEMPTS.name(), 5),
                Duration.ofMillis(env.getInt(Variable.GOOGLE_RETRY_BASE_DELAY_MS.name(), 500)),
                Duration.ofMillis(env.getInt(Variable.GOOGLE_RETRY_MAX_DELAY_MS.name(), 8000)),
                Duration.ofMillis(env.getInt(Variable.GOOGLE_RETRY_MAX_ELAPSED_MS.name(), 12000)));
        RetryPolicy meetPoll = new RetryPolicy(
                env.getInt(Variable.MEET_POLL_MAX_ATTEMPTS.name(), 6),
                Duration.ofMillis(env.getInt(Variable.MEET_POLL_BASE_DELAY_MS.name(), 250)),
                Duration.ofSeconds(2),
                Duration.ofMillis(env.getInt(Variable.MEET_POLL_MAX_ELAPSED_MS.name(), 6000)));
        return new GoogleCalendarSettings(json, secretArn, env.optional(Variable.GOOGLE_IMPERSONATE_USER.name()).orElse(null),
                env.optional(Variable.GOOGLE_CALENDAR_ROOT_URL.name()).orElse(null), retry, meetPoll,
                Duration.ofSeconds(5), Duration.ofSeconds(15),
                env.getInt(Variable.GOOGLE_SYNC_PAGE_SIZE.name(), MAX_SYNC_PAGE_SIZE));
    }

    @Override
    public String toString() {
        return "GoogleCalendarSettings[impersonateUser=" + impersonateUser + ", rootUrl=" + rootUrl
                + (serviceAccountSecretArn != null ? ", serviceAccountSecretArn=" + serviceAccountSecretArn : "") + "]";
    }
}
