package dev.pipedesk.emulator.calendar;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.pipedesk.core.Ids;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One emulator per test class, reset before each test, driven by the real Calendar client
 * authenticated with a service-account key whose token_uri points at the emulator.
 */
abstract class EmulatorTestSupport {

    static final String SERVICE_ACCOUNT = "pipedesk-sync@pipedesk-test.iam.gserviceaccount.com";
    static final Instant BASE = Instant.parse("2026-03-02T10:00:00Z");

    static GoogleCalendarEmulator emulator;
    static Calendar calendar;

    @BeforeAll
    static void startEmulator() {
        emulator = GoogleCalendarEmulator.start(EmulatorOptions.defaults()
                .withAllowHttpWebhooks(true)
                .withPushRetry(Duration.ofMillis(40), 4));
        calendar = client(emulator, null);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void resetEmulator() {
        emulator.control().reset();
    }

    EmulatorControl control() {
        return emulator.control();
    }

    /** The real client: ServiceAccountCredentials (optionally delegated) + NetHttpTransport + Gson. */
    static Calendar client(GoogleCalendarEmulator target, String delegatedUser) {
        try {
            GoogleCredentials credentials = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(
                            target.serviceAccountKeyJson(SERVICE_ACCOUNT).getBytes(StandardCharsets.UTF_8)))
                    .createScoped(CalendarScopes.CALENDAR);
            if (delegatedUser != null) {
                credentials = credentials.createDelegated(delegatedUser);
            }
            return new Calendar.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(),
                    new HttpCredentialsAdapter(credentials))
                    .setRootUrl(target.rootUrl().toString())
                    .setApplicationName("pipedesk-emulator-test")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Event meeting(String summary, Instant start, Duration length) {
        return new Event()
                .setSummary(summary)
                .setStart(new EventDateTime().setDateTime(new DateTime(start.toEpochMilli())).setTimeZone("UTC"))
                .setEnd(new EventDateTime().setDateTime(new DateTime(start.plus(length).toEpochMilli())).setTimeZone("UTC"));
    }

    static Event meeting(String summary) {
        return meeting(summary, BASE, Duration.ofHours(1));
    }

    static String newId() {
        return Ids.newGoogleEventId();
    }

    static Event insert(Event event) throws IOException {
        return calendar.events().insert("primary", event).execute();
    }

    /** The Google error a call fails with. */
    static GoogleJsonResponseException googleError(ThrowingCallable call) {
        GoogleJsonResponseException error = catchThrowableOfType(GoogleJsonResponseException.class, call);
        assertThat(error).as("expected the call to fail with a Google JSON error").isNotNull();
        return error;
    }

    static GoogleJsonError.ErrorInfo firstError(GoogleJsonResponseException error) {
        assertThat(error.getDetails()).as("Google error details").isNotNull();
        return error.getDetails().getErrors().getFirst();
    }
}
