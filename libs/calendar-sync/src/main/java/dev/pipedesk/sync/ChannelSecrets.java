package dev.pipedesk.sync;

import dev.pipedesk.core.Ids;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where a new watch channel's id and secret token come from. The real one is {@link #secure()};
 * tests may hand out known values.
 */
public interface ChannelSecrets {
    /** Random bytes in a channel token (Google echoes the token; it allows at most 256 characters). */
    int TOKEN_BYTES = 32;

    /** A channel id never used before: at most 64 characters ({@code events.watch} allows no more). */
    String newChannelId();

    /** A new channel token: at least {@value #TOKEN_BYTES} random bytes, as text Google can echo in a header. */
    String newToken();

    /** Random UUIDs as ids; tokens of {@value #TOKEN_BYTES} {@link SecureRandom} bytes, base64url without padding (43 characters). */
    static ChannelSecrets secure() {
        SecureRandom random = new SecureRandom();
        return new ChannelSecrets() {
            @Override
            public String newChannelId() {
                return Ids.uuid();
            }

            @Override
            public String newToken() {
                byte[] bytes = new byte[TOKEN_BYTES];
                random.nextBytes(bytes);
                return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            }
        };
    }
}
