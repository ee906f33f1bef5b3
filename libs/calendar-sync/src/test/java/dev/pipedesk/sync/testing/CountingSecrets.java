package dev.pipedesk.sync.testing;

import dev.pipedesk.sync.ChannelSecrets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Channel ids {@code channel-1}, {@code channel-2}, … and tokens {@code token-1-…}, {@code token-2-…}
 * (43 characters, as long as a real one): known in advance, so a test can name them.
 */
public final class CountingSecrets implements ChannelSecrets {
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger tokens = new AtomicInteger();

    public static String channelId(int n) {
        return "channel-" + n;
    }

    public static String token(int n) {
        String prefix = "token-" + n + "-";
        return prefix + "x".repeat(43 - prefix.length());
    }

    @Override
    public String newChannelId() {
        return channelId(ids.incrementAndGet());
    }

    @Override
    public String newToken() {
        return token(tokens.incrementAndGet());
    }
}
