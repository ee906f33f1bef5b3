package dev.pipedesk.emulator.calendar;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One calendar's events and change counter. Mutated only under {@link CalendarService}'s lock. */
final class CalendarState {
    final String id;
    /** What events.watch answers as resourceId: the same for every channel on this calendar. */
    final String resourceId;
    /** When the calendar was first used: its metadata never changes, so this is its etag's basis. */
    final Instant created;
    final Map<String, StoredEvent> events = new LinkedHashMap<>();
    /** Number of committed changes; a sync token remembers the value it was issued at. */
    long seq;
    long inserts;
    Instant lastChange;

    CalendarState(String id, String resourceId, Instant created) {
        this.id = id;
        this.resourceId = resourceId;
        this.created = created;
        this.lastChange = created;
    }

    /** Records a committed change of {@code event} at {@code at}. */
    void commit(StoredEvent event, Instant at) {
        event.changeSeq = ++seq;
        event.updated = at;
        lastChange = at;
        events.put(event.id, event);
    }
}
