package dev.pipedesk.google;

import com.google.api.client.googleapis.services.AbstractGoogleClientRequest;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Event;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.pipedesk.core.RequestDeadline;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.secrets.RefreshingSecret;
import dev.pipedesk.secrets.SecretUnavailableException;
import dev.pipedesk.secrets.Secrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * PipeDesk's door to Google Calendar: a service account (optionally impersonating a Workspace
 * user), every call under the retry policy and its deadline ({@link GoogleCalls}), failures as
 * typed exceptions. The event writes are here; the sync's reads and watch channels
 * ({@link GoogleCalendarFeed}) are delegated to {@link GatewayFeed}, on the same client and policy.
 */
public final class GoogleCalendarGateway implements GoogleCalendar, GoogleCalendarFeed {
    private static final Logger LOG = Logger.getLogger(GoogleCalendarGateway.class.getName());
    /** The deadline of the attempt being sent; the request initializer cuts its timeouts to it. */
    private static final ScopedValue<Instant> ATTEMPT_DEADLINE = ScopedValue.newInstance();

    private final Calendar calendar;
    private final Supplier<GoogleCredentials> credentials;
    private final ServiceAccountTokens tokens;
    private final GoogleCalls calls;
    private final RetryPolicy meetPoll;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Sleeper sleeper;
    private final Clock clock;
    private final GatewayFeed feed;

    /**
     * @param transport   how requests travel ({@link NetHttpTransport} in production; a scripted one in tests)
     * @param credentials the service account's ({@link #credentials})
     */
    public GoogleCalendarGateway(GoogleCalendarSettings settings, HttpTransport transport, GoogleCredentials credentials,
                                 Sleeper sleeper, Clock clock) {
        this(settings, transport, () -> credentials, sleeper, clock);
    }

    /**
     * @param credentials the service account's current credentials, asked for at every call
     *                    ({@link #credentialsSource}: from a refreshing secret in AWS); a
     *                    {@link SecretUnavailableException} fails the call as
     *                    {@link GoogleCalendarException.Unavailable} ({@code credentialsUnavailable})
     */
    public GoogleCalendarGateway(GoogleCalendarSettings settings, HttpTransport transport,
                                 Supplier<GoogleCredentials> credentials, Sleeper sleeper, Clock clock) {
        this.credentials = credentials;
        this.tokens = new ServiceAccountTokens(this::currentCredentials, clock);
        this.calls = new GoogleCalls(settings.retryPolicy(), tokens, sleeper, clock);
        this.meetPoll = settings.meetPollPolicy();
        this.connectTimeout = settings.connectTimeout();
        this.readTimeout = settings.readTimeout();
        this.sleeper = sleeper;
        this.clock = clock;
        this.calendar = client(settings, transport);
        this.feed = new GatewayFeed(calendar, calls, this::send, settings.syncPageSize(), clock);
    }

    /** For settings with the key itself (a key secret cannot be read: see {@link #create(GoogleCalendarSettings, Secrets)}). */
    public static GoogleCalendarGateway create(GoogleCalendarSettings settings) {
        return create(settings, Secrets.none());
    }

    /**
     * The gateway; with {@code GOOGLE_SERVICE_ACCOUNT_SECRET_ARN} its credentials are built from
     * the secret at the first call and rebuilt when, read again after the TTL, the key changed.
     */
    public static GoogleCalendarGateway create(GoogleCalendarSettings settings, Secrets secrets) {
        return new GoogleCalendarGateway(settings, new NetHttpTransport(), credentialsSource(settings, secrets),
                Sleeper.REAL, Clock.systemUTC());
    }

    /**
     * The service account's credentials as the settings give them: built now from the key JSON,
     * or from the key secret at first use, kept for the secrets' TTL and rebuilt only when the
     * secret's value changed (unchanged, the same credentials keep their access token).
     */
    public static Supplier<GoogleCredentials> credentialsSource(GoogleCalendarSettings settings, Secrets secrets) {
        if (settings.serviceAccountSecretArn() == null) {
            GoogleCredentials credentials = credentials(settings);
            return () -> credentials;
        }
        RefreshingSecret<GoogleCredentials> secret = secrets.secret(settings.serviceAccountSecretArn(),
                json -> credentials(json, settings.impersonateUser()));
        return secret::get;
    }

    /** The service account's credentials: scope {@code calendar}, acting as the DWD subject when one is set. */
    public static GoogleCredentials credentials(GoogleCalendarSettings settings) {
        if (settings.serviceAccountJson() == null) {
            throw new IllegalArgumentException("These settings name the key's secret, not the key: use credentialsSource");
        }
        return credentials(settings.serviceAccountJson(), settings.impersonateUser());
    }

    /**
     * @throws UncheckedIOException when {@code json} is not a service-account key (the message
     *                              never contains it)
     */
    private static GoogleCredentials credentials(String json, String impersonateUser) {
        GoogleCredentials credentials;
        try {
            credentials = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                    .createScoped(List.of(CalendarScopes.CALENDAR));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("The Google service-account key is not valid JSON key material",
                    new IOException(e.getClass().getSimpleName()));
        }
        if (impersonateUser != null) {
            credentials = ((ServiceAccountCredentials) credentials).createDelegated(impersonateUser);
        }
        return credentials;
    }

    /** The credentials now; an unavailable key secret fails the call at once (no retry: it is not Google's trouble). */
    private GoogleCredentials currentCredentials() {
        try {
            return credentials.get();
        } catch (SecretUnavailableException e) {
            LOG.warning(() -> "The Google service-account key is unavailable: " + e.getMessage());
            throw new GoogleCalendarException.Unavailable(0, "credentialsUnavailable",
                    "The Google service-account key is unavailable", e, false);
        }
    }

    /** The Google API client: root URL from the settings, each attempt's timeouts cut to its deadline. */
    private Calendar client(GoogleCalendarSettings settings, HttpTransport transport) {
        HttpRequestInitializer initializer = request -> {
            // The credentials of this moment: a rotated key's new credentials from the next call on.
            new HttpCredentialsAdapter(currentCredentials()).initialize(request);
            // A 401 is GoogleCalls' to answer (one new token, one retry), not the adapter's behind its back.
            request.setUnsuccessfulResponseHandler(null);
            // Retries are ours (GoogleCalls says why); the client must not retry on its own as well.
            request.setNumberOfRetries(0);
            AttemptTimeouts timeouts = AttemptTimeouts.until(
                    ATTEMPT_DEADLINE.isBound() ? ATTEMPT_DEADLINE.get() : null, connectTimeout, readTimeout, clock);
            request.setConnectTimeout(timeouts.connectMillis());
            request.setReadTimeout(timeouts.readMillis());
        };
        Calendar.Builder builder = new Calendar.Builder(transport, GsonFactory.getDefaultInstance(), initializer)
                .setApplicationName("pipedesk");
        if (settings.rootUrl() != null) {
            builder.setRootUrl(settings.rootUrl().endsWith("/") ? settings.rootUrl() : settings.rootUrl() + "/");
        }
        return builder.build();
    }

    /** One attempt: a valid access token first, then the request, all by {@code deadline}. */
    private <T> T send(AbstractGoogleClientRequest<T> request, Instant deadline) throws IOException {
        tokens.ensureFresh(deadline);
        return ScopedValue.where(ATTEMPT_DEADLINE, deadline).call(request::execute);
    }

    /**
     * {@inheritDoc} A retry (ours after a lost response, or a client's retried request) meets
     * Google's 409 for the id; the stored event is then read and compared by its marker.
     */
    @Override
    public GoogleEventSnapshot insert(String calendarId, EventDraft draft) {
        Event event = GoogleEvents.toGoogle(draft);
        try {
            return GoogleEvents.snapshot(calls.run("events.insert", deadline -> send(calendar.events()
                    .insert(calendarId, event)
                    .setConferenceDataVersion(draft.wantsMeet() ? 1 : 0)
                    .setSendUpdates("none"), deadline)));
        } catch (GoogleCalendarException.Duplicate duplicate) {
            GoogleEventSnapshot existing = get(calendarId, draft.eventId());
            if (draft.isStoredAs(existing)) {
                return existing;
            }
            throw duplicate;
        }
    }

    @Override
    public GoogleEventSnapshot get(String calendarId, String eventId) {
        return GoogleEvents.snapshot(calls.run("events.get",
                deadline -> send(calendar.events().get(calendarId, eventId), deadline)));
    }

    @Override
    public GoogleEventSnapshot patch(String calendarId, String eventId, EventPatch patch, String ifMatchEtag) {
        return GoogleEvents.snapshot(calls.run("events.patch", deadline -> {
            Calendar.Events.Patch request = calendar.events().patch(calendarId, eventId, GoogleEvents.toGoogle(patch))
                    .setSendUpdates("none");
            if (ifMatchEtag != null) {
                request.getRequestHeaders().setIfMatch(ifMatchEtag);
            }
            return send(request, deadline);
        }));
    }

    @Override
    public void delete(String calendarId, String eventId) {
        calls.run("events.delete", deadline -> send(calendar.events().delete(calendarId, eventId)
                .setSendUpdates("none"), deadline));
    }

    /**
     * {@inheritDoc} Up to {@code MEET_POLL_MAX_ATTEMPTS} re-reads, all done within
     * {@code MEET_POLL_MAX_ELAPSED_MS} (or the request's deadline, when that comes first); a
     * failed re-read ends the wait.
     */
    @Override
    public GoogleEventSnapshot awaitConference(String calendarId, GoogleEventSnapshot event) {
        GoogleEventSnapshot current = event;
        Instant deadline = RequestDeadline.earlierOf(clock.instant().plus(meetPoll.maxElapsed()));
        // Every attempt of the poll is a re-read: MEET_POLL_MAX_ATTEMPTS of them, each with time to run.
        Backoff backoff = new Backoff(meetPoll, meetPoll.maxAttempts(), clock, deadline.minus(GoogleCalls.MIN_ATTEMPT));
        while (current.conferenceStatus() == ConferenceStatus.PENDING) {
            Optional<Duration> pause = backoff.nextPause();
            if (pause.isEmpty()) {
                break;
            }
            sleeper.sleep(pause.get());
            try {
                current = GoogleEvents.snapshot(send(calendar.events().get(calendarId, current.id()), deadline));
            } catch (IOException e) {
                LOG.warning(() -> "Re-reading a pending Meet conference failed (" + e.getClass().getSimpleName()
                        + "); returning the event as pending");
                break;
            }
        }
        return current;
    }

    @Override
    public String canonicalId(String calendarId) {
        return feed.canonicalId(calendarId);
    }

    @Override
    public ChangePage listPage(String calendarId, String syncToken, String pageToken) {
        return feed.listPage(calendarId, syncToken, pageToken);
    }

    @Override
    public WatchedChannel watch(String calendarId, WatchRequest request) {
        return feed.watch(calendarId, request);
    }

    @Override
    public void stop(String channelId, String resourceId) {
        feed.stop(channelId, resourceId);
    }

    /**
     * The connect and read timeouts of one attempt: the configured ones, cut so that connect plus
     * read end by the attempt's deadline (connect gets at most half of the time left).
     */
    record AttemptTimeouts(int connectMillis, int readMillis) {
        static AttemptTimeouts until(Instant deadline, Duration connect, Duration read, Clock clock) {
            if (deadline == null) {
                return new AttemptTimeouts((int) connect.toMillis(), (int) read.toMillis());
            }
            long left = RequestDeadline.timeLeft(deadline, clock).toMillis();
            long connectMillis = Math.min(connect.toMillis(), left / 2);
            long readMillis = Math.min(read.toMillis(), left - connectMillis);
            // 0 would mean "no timeout" to the HTTP client: an attempt with no time left gets 1 ms.
            return new AttemptTimeouts((int) Math.max(1, connectMillis), (int) Math.max(1, readMillis));
        }
    }
}
