package dev.pipedesk.google;

import java.time.Duration;

/**
 * What {@code events.watch} is asked for.
 *
 * @param channelId at most 64 characters, unique (a new one for every channel)
 * @param address   the HTTPS webhook URL Google posts notifications to
 * @param token     the channel's secret, echoed by Google in {@code X-Goog-Channel-Token}
 * @param ttl       the lifetime asked for ({@code params.ttl}); Google may clamp it
 */
public record WatchRequest(String channelId, String address, String token, Duration ttl) {
    @Override
    public String toString() {
        return "WatchRequest[channelId=" + channelId + ", address=" + address + ", token=<secret>, ttl=" + ttl + "]";
    }
}
