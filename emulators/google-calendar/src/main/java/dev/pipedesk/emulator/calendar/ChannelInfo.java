package dev.pipedesk.emulator.calendar;

import java.time.Instant;

/**
 * A push channel as the emulator knows it.
 *
 * @param id          the channel id the client chose
 * @param resourceId  opaque id, the same for every channel of one calendar
 * @param resourceUri the watched collection's URI
 * @param calendarId  the calendar watched (with {@code primary} resolved to the owner's email)
 * @param address     where notifications go
 * @param token       the client's token, or null
 * @param expiration  when the channel expires
 * @param stopped     whether channels.stop was called
 * @param lastMessageNumber the last message number used (1 after the sync message)
 */
public record ChannelInfo(
        String id,
        String resourceId,
        String resourceUri,
        String calendarId,
        String address,
        String token,
        Instant expiration,
        boolean stopped,
        long lastMessageNumber) {
}
