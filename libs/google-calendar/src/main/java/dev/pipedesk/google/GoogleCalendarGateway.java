package dev.pipedesk.google;

import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Event;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.pipedesk.core.calendar.ConferenceStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import java.util.List;
import java.util.Objects;

/**
 * PipeDesk's door to Google Calendar: a service account (optionally impersonating a Workspace
 * user), every call under the retry policy, failures as typed exceptions.
 */
public final class GoogleCalendarGateway {
    /** The private extended property that marks which create request made an event. */
    public static final String REQUEST_MARKER = "pipedesk_request";
    private static final Logger LOG = Logger.getLogger(GoogleCalendarGateway.class.getName());

    private final Calendar calendar;
    private final GoogleCalls calls;
    private final RetryPolicy meetPoll;
    private final Sleeper sleeper;
    private final Clock clock;

    public GoogleCalendarGateway(Calendar calendar, RetryPolicy retry, RetryPolicy meetPoll, Sleeper sleeper, Clock clock) {
        this.calendar = calendar;
        this.calls = new GoogleCalls(retry, sleeper, clock);
        this.meetPoll = meetPoll;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public static GoogleCalendarGateway create(GoogleCalendarSettings settings) {
        return new GoogleCalendarGateway(client(settings), settings.retryPolicy(), settings.meetPollPolicy(),
                Sleeper.REAL, Clock.systemUTC());
    }

    /** The Google API client for these settings (service account, DWD subject, root URL). */
    public static Calendar client(GoogleCalendarSettings settings) {
        GoogleCredentials credentials;
        try {
            credentials = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(settings.serviceAccountJson().getBytes(StandardCharsets.UTF_8)))
                    .createScoped(List.of(CalendarScopes.CALENDAR));
        } catch (IOException e) {
            throw new UncheckedIOException("The Google service-account key is not valid JSON key material", e);
        }
        if (settings.impersonateUser() != null) {
            credentials = ((ServiceAccountCredentials) credentials).createDelegated(settings.impersonateUser());
        }
        HttpCredentialsAdapter auth = new HttpCredentialsAdapter(credentials);
        int connectMs = (int) settings.connectTimeout().toMillis();
        int readMs = (int) settings.readTimeout().toMillis();
        HttpRequestInitializer initializer = request -> {
            auth.initialize(request);
            request.setConnectTimeout(connectMs);
            request.setReadTimeout(readMs);
            // Retries are ours (GoogleCalls); the client must not retry on its own as well.
            request.setNumberOfRetries(0);
        };
        Calendar.Builder builder = new Calendar.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), initializer)
                .setApplicationName("pipedesk");
        if (settings.rootUrl() != null) {
            builder.setRootUrl(settings.rootUrl().endsWith("/") ? settings.rootUrl() : settings.rootUrl() + "/");
        }
        return builder.build();
    }

    /**
     * Inserts an event under its client-chosen id. When a retry (ours, or a client's retried
     * request) meets Google's 409 for that id and the stored event carries the same request
     * marker, the insert had already succeeded: that event is returned, never a second one.
     */
    public Event insert(String calendarId, Event event) {
        boolean wantsConference = event.getConferenceData() != null;
        try {
            return calls.run("events.insert", () -> calendar.events().insert(calendarId, event)
                    .setConferenceDataVersion(wantsConference ? 1 : 0)
                    .setSendUpdates("none")
                    .execute());
        } catch (GoogleCalendarException.Duplicate duplicate) {
            Event existing = get(calendarId, event.getId());
            String marker = marker(event);
            if (marker != null && Objects.equals(marker, marker(existing))) {
                return existing;
            }
            throw duplicate;
        }
    }

    public Event get(String calendarId, String eventId) {
        return calls.run("events.get", () -> calendar.events().get(calendarId, eventId).execute());
    }

    /** Patches only the fields set on {@code patch}; with If-Match when an etag is given. */
    public Event patch(String calendarId, String eventId, Event patch, String ifMatchEtag) {
        return calls.run("events.patch", () -> {
            Calendar.Events.Patch request = calendar.events().patch(calendarId, eventId, patch).setSendUpdates("none");
            if (ifMatchEtag != null) {
                request.getRequestHeaders().setIfMatch(ifMatchEtag);
            }
            return request.execute();
        });
    }

    public void delete(String calendarId, String eventId) {
        calls.run("events.delete", () -> {
            calendar.events().delete(calendarId, eventId).setSendUpdates("none").execute();
            return null;
        });
    }

    /**
     * Google creates Meet conferences asynchronously: while the conference is pending, re-read
     * the event with bounded backoff (attempts and total time). Returns the last version read,
     * which may still be pending: the event exists either way, so a failed re-read is not an
     * error of the create.
     */
    public Event awaitConference(String calendarId, Event event) {
        Event current = event;
        Instant deadline = clock.instant().plus(meetPoll.maxElapsed());
        for (int attempt = 0; attempt < meetPoll.maxAttempts()
                && GoogleEvents.conferenceStatus(current) == ConferenceStatus.PENDING; attempt++) {
            Duration pause = meetPoll.delayBefore(attempt);
            if (clock.instant().plus(pause).isAfter(deadline)) {
                break;
            }
            sleeper.sleep(pause);
            try {
                current = calendar.events().get(calendarId, current.getId()).execute();
            } catch (IOException e) {
                LOG.warning(() -> "Re-reading a pending Meet conference failed (" + e.getClass().getSimpleName()
                        + "); returning the event as pending");
                break;
            }
        }
        return current;
    }

    private static String marker(Event event) {
        return event.getExtendedProperties() == null || event.getExtendedProperties().getPrivate() == null
                ? null : event.getExtendedProperties().getPrivate().get(REQUEST_MARKER);
    }
}
