package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Env;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoogleCalendarSettingsTest {

    private static GoogleCalendarSettings settings(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("GOOGLE_SERVICE_ACCOUNT_JSON", "{}"));
        env.putAll(extra);
        return GoogleCalendarSettings.fromEnv(new Env(env));
    }

    @Test
    void syncPagesAreAsLargeAsGoogleAllowsByDefault() {
        assertThat(settings(Map.of()).syncPageSize()).isEqualTo(2500);
        assertThat(settings(Map.of("GOOGLE_SYNC_PAGE_SIZE", "100")).syncPageSize()).isEqualTo(100);
    }

    @Test
    void aSyncPageSizeOutsideOneToTwoThousandFiveHundredDoesNotStart() {
        assertThatThrownBy(() -> settings(Map.of("GOOGLE_SYNC_PAGE_SIZE", "0")))
                .hasMessageContaining("GOOGLE_SYNC_PAGE_SIZE");
        assertThatThrownBy(() -> settings(Map.of("GOOGLE_SYNC_PAGE_SIZE", "2501")))
                .hasMessageContaining("GOOGLE_SYNC_PAGE_SIZE");
    }

    @Test
    void takesTheKeyFromASecretArnAlone() {
        GoogleCalendarSettings settings = GoogleCalendarSettings.fromEnv(new Env(Map.of(
                "GOOGLE_SERVICE_ACCOUNT_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipedesk/google")));

        assertThat(settings.serviceAccountJson()).isNull();
        assertThat(settings.serviceAccountSecretArn()).endsWith(":secret:pipedesk/google");
    }

    @Test
    void withoutAnyKeyDoesNotStartNamingTheThreeWays() {
        assertThatThrownBy(() -> GoogleCalendarSettings.fromEnv(new Env(Map.of())))
                .hasMessageContaining("GOOGLE_SERVICE_ACCOUNT_JSON")
                .hasMessageContaining("GOOGLE_SERVICE_ACCOUNT_FILE")
                .hasMessageContaining("GOOGLE_SERVICE_ACCOUNT_SECRET_ARN");
    }
}
