package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmulatorOptionsTest {

    @Test
    void defaultsFollowGoogle() {
        EmulatorOptions defaults = EmulatorOptions.defaults();

        assertThat(defaults.port()).isZero();
        assertThat(defaults.allowHttpWebhooks()).isFalse();
        assertThat(defaults.maxChannelTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.conferenceMode()).isEqualTo(ConferenceMode.success());
        assertThat(defaults.meetRequiresDelegation()).isFalse();
        assertThat(defaults.attendeesRequireDelegation()).isFalse();
        assertThat(defaults.forbidWritesToCancelledEvents()).isTrue();
        assertThat(defaults.rejectReusedDeletedIds()).isTrue();
    }

    @Test
    void readsEnvironmentVariables() {
        EmulatorOptions options = EmulatorOptions.fromEnv(new Env(Map.of(
                "PORT", "18085",
                "ALLOW_HTTP_WEBHOOKS", "true",
                "MAX_CHANNEL_TTL_SECONDS", "3600",
                "CONFERENCE_MODE", "pending",
                "CONFERENCE_PENDING_READS", "3",
                "MEET_REQUIRES_DWD", "true")));

        assertThat(options.port()).isEqualTo(18085);
        assertThat(options.allowHttpWebhooks()).isTrue();
        assertThat(options.maxChannelTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(options.conferenceMode()).isEqualTo(ConferenceMode.pending(3));
        assertThat(options.meetRequiresDelegation()).isTrue();
        assertThat(options.attendeesRequireDelegation()).isFalse();
    }

    @Test
    void rejectsAnUnknownConferenceMode() {
        assertThatThrownBy(() -> ConferenceMode.parse("sometimes", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
