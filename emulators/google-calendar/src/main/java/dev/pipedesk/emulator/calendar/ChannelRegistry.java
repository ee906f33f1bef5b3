package dev.pipedesk.emulator.calendar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every channel created since the last reset. A channel id can be used once (Google:
 * "unique within the project"), even after the channel was stopped.
 */
final class ChannelRegistry {
    private final Map<String, Channel> byId = new LinkedHashMap<>();

    synchronized Channel add(Channel channel) {
        if (byId.containsKey(channel.watch.id())) {
            throw GoogleApiError.channelIdNotUnique();
        }
        byId.put(channel.watch.id(), channel);
        return channel;
    }

    synchronized Optional<Channel> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized List<Channel> forCalendar(String calendarId) {
        return byId.values().stream().filter(c -> c.watch.calendarId().equals(calendarId)).toList();
    }

    synchronized List<Channel> all() {
        return List.copyOf(byId.values());
    }

    synchronized void reset() {
        byId.clear();
    }
}
