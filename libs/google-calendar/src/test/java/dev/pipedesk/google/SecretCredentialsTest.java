package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Ids;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.secrets.SecretSource;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The service-account key from Secrets Manager ({@code GOOGLE_SERVICE_ACCOUNT_SECRET_ARN}):
 * credentials built at the first call, kept while the key is unchanged, rebuilt after the TTL
 * when it changed; against the Google Calendar emulator.
 */
@Tag("integration")
class SecretCredentialsTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:pipedesk/google-key";
    private static final Duration TTL = Duration.ofMinutes(5);
    private static GoogleCalendarEmulator emulator;

    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final Map<String, String> values = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final SecretSource source = arn -> {
        reads.incrementAndGet();
        return values.get(arn);
    };
    private final Secrets secrets = new Secrets(source, new SecretsSettings(TTL), clock);

    @BeforeAll
    static void startEmulator() {
        emulator = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    private GoogleCalendarSettings settings() {
        return GoogleCalendarSettings.fromEnv(new Env(Map.of(
                "GOOGLE_SERVICE_ACCOUNT_SECRET_ARN", ARN,
                "GOOGLE_IMPERSONATE_USER", "calendar@example.com",
                "GOOGLE_CALENDAR_ROOT_URL", emulator.rootUrl().toString())));
    }

    @Test
    void callsGoogleWithTheKeyFromTheSecretReadAtTheFirstCall() {
        values.put(ARN, emulator.serviceAccountKeyJson("pipedesk@test.iam.gserviceaccount.com"));
        GoogleCalendarGateway gateway = GoogleCalendarGateway.create(settings(), secrets);
        assertThat(reads).hasValue(0);

        Instant start = Instant.parse("2031-03-03T10:00:00Z");
        GoogleEventSnapshot created = gateway.insert("primary", new EventDraft(Ids.newGoogleEventId(), "From a secret key",
                null, start, start.plusSeconds(1800), List.of(), null, Map.of(GoogleCalendar.REQUEST_MARKER, "secret-key")));

        assertThat(gateway.get("primary", created.id()).summary()).isEqualTo("From a secret key");
        assertThat(reads).hasValue(1);
    }

    @Test
    void keepsTheCredentialsWhileTheKeyIsUnchangedAndRebuildsThemWhenItChanged() {
        values.put(ARN, emulator.serviceAccountKeyJson("first@test.iam.gserviceaccount.com"));
        Supplier<GoogleCredentials> credentials = GoogleCalendarGateway.credentialsSource(settings(), secrets);
        GoogleCredentials first = credentials.get();

        clock.advance(TTL);
        assertThat(credentials.get()).isSameAs(first);
        assertThat(reads).hasValue(2);

        values.put(ARN, emulator.serviceAccountKeyJson("second@test.iam.gserviceaccount.com"));
        clock.advance(TTL);
        GoogleCredentials second = credentials.get();
        assertThat(second).isNotSameAs(first);
        assertThat(((ServiceAccountCredentials) second).getClientEmail()).isEqualTo("second@test.iam.gserviceaccount.com");
    }

    @Test
    void anUnusableKeyFailsTheCallWithoutRetryingGoogle() {
        values.put(ARN, "{\"type\":\"not a key\"}");
        GoogleCalendarGateway gateway = GoogleCalendarGateway.create(settings(), secrets);

        assertThatThrownBy(() -> gateway.get("primary", "any-event"))
                .isInstanceOfSatisfying(GoogleCalendarException.Unavailable.class,
                        e -> assertThat(e.reason()).isEqualTo("credentialsUnavailable"))
                .hasMessageNotContaining("not a key");
    }

    @Test
    void refusesTheKeyBothAsSecretAndAsValue() {
        assertThatThrownBy(() -> GoogleCalendarSettings.fromEnv(new Env(Map.of(
                "GOOGLE_SERVICE_ACCOUNT_SECRET_ARN", ARN, "GOOGLE_SERVICE_ACCOUNT_JSON", "{}"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GOOGLE_SERVICE_ACCOUNT_SECRET_ARN and GOOGLE_SERVICE_ACCOUNT_JSON are both set");
    }
}
