package dev.pipedesk.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real channel secrets: ids Google accepts, tokens of 32 random bytes it can echo in a header. */
class ChannelSecretsTest {
    private final ChannelSecrets secrets = ChannelSecrets.secure();

    @Test
    void aTokenIs32BytesAsBase64UrlWithoutPadding() {
        String token = secrets.newToken();

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(ChannelSecrets.TOKEN_BYTES);
    }

    @Test
    void aChannelIdFitsGooglesLimit() {
        assertThat(secrets.newChannelId()).hasSizeLessThanOrEqualTo(64).matches("[a-f0-9-]+");
    }

    @Test
    void everyCallGivesANewIdAndToken() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(seen.add(secrets.newChannelId())).isTrue();
            assertThat(seen.add(secrets.newToken())).isTrue();
        }
    }
}
