package dev.pipedesk.postgres;

import dev.pipedesk.core.calendar.CalendarEvent;
import java.util.List;

/** One page of a listing and the total number of matches. */
public record EventPage(List<CalendarEvent> items, long total) {
}
