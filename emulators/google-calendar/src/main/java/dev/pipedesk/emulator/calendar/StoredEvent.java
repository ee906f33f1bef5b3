package dev.pipedesk.emulator.calendar;

import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One event of one calendar, with the bookkeeping the API needs. Mutated only by
 * {@link CalendarService} while it holds its lock.
 */
final class StoredEvent {
    final String id;
    /** Insertion order: the stable default ordering of lists. */
    final long insertOrder;
    /** The resource exactly as {@code events.get} returns it. */
    ObjectNode resource;
    /** The calendar change number of the last change to this event (what sync tokens compare). */
    long changeSeq;
    Instant updated;
    /** While &gt; 0: the conference is pending and turns to success after this many more gets. */
    int pendingConferenceReads;

    StoredEvent(String id, long insertOrder) {
        this.id = id;
        this.insertOrder = insertOrder;
    }

    boolean cancelled() {
        return "cancelled".equals(EventJson.text(resource, "status"));
    }

    String etag() {
        return EventJson.text(resource, "etag");
    }
}
