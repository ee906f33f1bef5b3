package dev.pipedesk.local.calendar;

import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Small helpers shared by the calendar API tests. */
public final class CalendarTestSupport {
    public static final String EVENTS = "/api/calendar/events";
    private static final AtomicInteger SLOT = new AtomicInteger();

    private CalendarTestSupport() {
    }

    /** A unique marker for one test's data (summaries, entity ids). */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A one-hour slot in the future, different for every call. */
    public static Instant slot() {
        return Instant.parse("2031-03-02T09:00:00Z").plus(SLOT.incrementAndGet() * 2L, ChronoUnit.HOURS);
    }

    /** A valid create body; callers add or replace fields. */
    public static Map<String, Object> meeting(String summary, Instant start) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("summary", summary);
        body.put("description", "Agenda for " + summary);
        body.put("start_time", start.toString());
        body.put("end_time", start.plus(1, ChronoUnit.HOURS).toString());
        body.put("attendees", List.of("buyer@example.com"));
        return body;
    }

    public static EmulatorControl google() {
        return LocalStackExtension.stack().emulator().control();
    }

    /** Every event the emulator holds, on every calendar, with this summary. */
    public static List<JsonNode> googleEventsWithSummary(String summary) {
        return google().calendarIds().stream()
                .flatMap(calendar -> google().events(calendar).stream())
                .filter(e -> summary.equals(e.path("summary").asString(null)))
                .toList();
    }
}
