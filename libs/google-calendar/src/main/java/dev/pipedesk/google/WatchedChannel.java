package dev.pipedesk.google;

import java.time.Instant;

/**
 * A channel as Google answered {@code events.watch}.
 *
 * @param id         the channel id asked for
 * @param resourceId Google's opaque id of the watched collection (the same for every channel of a calendar)
 * @param expiresAt  the expiry Google chose (it clamps the requested lifetime)
 */
public record WatchedChannel(String id, String resourceId, Instant expiresAt) {
}
