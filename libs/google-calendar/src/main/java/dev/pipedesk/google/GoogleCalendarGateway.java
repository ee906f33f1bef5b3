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
import java.util.logging.Logger;
import java.util.List;
import java.util.Optional;

/**
 * PipeDesk's door to Google Calendar: a service account (optionally impersonating a Workspace
 * user), every call under the retry policy ({@link GoogleCalls}), failures as typed exceptions.
 */
public final class GoogleCalendarGateway implements GoogleCalendar {
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
            // Retries are ours (GoogleCalls says why); the client must not retry on its own as well.
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
     * {@inheritDoc} A retry (ours after a lost response, or a client's retried request) meets
     * Google's 409 for the id; the stored event is then read and compared by its marker.
     */
    @Override
    public GoogleEventSnapshot insert(String calendarId, EventDraft draft) {
        Event event = GoogleEvents.toGoogle(draft);
        try {
            return GoogleEvents.snapshot(calls.run("events.insert", () -> calendar.events().insert(calendarId, event)
                    .setConferenceDataVersion(draft.wantsMeet() ? 1 : 0)
                    .setSendUpdates("none")
                    .execute()));
        } catch (GoogleCalendarException.Duplicate duplicate) {
            GoogleEventSnapshot existing = get(calendarId, draft.eventId());
            String marker = draft.privateProperties().get(REQUEST_MARKER);
            if (marker != null && marker.equals(existing.privateProperties().get(REQUEST_MARKER))) {
                return existing;
            }
            throw duplicate;
        }
    }

    @Override
    public GoogleEventSnapshot get(String calendarId, String eventId) {
        return GoogleEvents.snapshot(calls.run("events.get", () -> calendar.events().get(calendarId, eventId).execute()));
    }

    @Override
    public GoogleEventSnapshot patch(String calendarId, String eventId, EventPatch patch, String ifMatchEtag) {
        return GoogleEvents.snapshot(calls.run("events.patch", () -> {
            Calendar.Events.Patch request = calendar.events().patch(calendarId, eventId, GoogleEvents.toGoogle(patch))
                    .setSendUpdates("none");
            if (ifMatchEtag != null) {
                request.getRequestHeaders().setIfMatch(ifMatchEtag);
            }
            return request.execute();
        }));
    }

    @Override
    public void delete(String calendarId, String eventId) {
        calls.run("events.delete", () -> {
            calendar.events().delete(calendarId, eventId).setSendUpdates("none").execute();
            return null;
        });
    }

    /**
     * {@inheritDoc} Up to {@code MEET_POLL_MAX_ATTEMPTS} re-reads within the poll policy's time
     * budget; a failed re-read ends the wait.
     */
    @Override
    public GoogleEventSnapshot awaitConference(String calendarId, GoogleEventSnapshot event) {
        GoogleEventSnapshot current = event;
        // Every attempt of the poll is a re-read: MEET_POLL_MAX_ATTEMPTS of them.
        Backoff backoff = new Backoff(meetPoll, meetPoll.maxAttempts(), clock);
        while (current.conferenceStatus() == ConferenceStatus.PENDING) {
            Optional<Duration> pause = backoff.nextPause();
            if (pause.isEmpty()) {
                break;
            }
            sleeper.sleep(pause.get());
            try {
                current = GoogleEvents.snapshot(calendar.events().get(calendarId, current.id()).execute());
            } catch (IOException e) {
                LOG.warning(() -> "Re-reading a pending Meet conference failed (" + e.getClass().getSimpleName()
                        + "); returning the event as pending");
                break;
            }
        }
        return current;
    }
}
