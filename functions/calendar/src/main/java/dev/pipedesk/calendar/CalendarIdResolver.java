package dev.pipedesk.calendar;

/**
 * The canonical id of a Google calendar, as the mirror keys it: {@code primary} (the impersonated
 * user's own calendar) becomes its owner's e-mail, any other id stays as written. The production
 * resolver is {@code CalendarIds::canonical} (libs/calendar-sync: resolved once with Google's
 * {@code calendars.get}, then stored); tests of pure logic use {@link #AS_GIVEN}.
 */
@FunctionalInterface
public interface CalendarIdResolver {
    /** Every id is its own canonical id: no resolution. */
    CalendarIdResolver AS_GIVEN = calendarId -> calendarId;

    /**
     * @throws dev.pipedesk.google.GoogleCalendarException when the id has to be resolved and Google fails
     */
    String canonical(String calendarId);
}
