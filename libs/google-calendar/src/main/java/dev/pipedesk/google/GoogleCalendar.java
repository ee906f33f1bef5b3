package dev.pipedesk.google;

/**
 * The Google Calendar operations PipeDesk uses, in PipeDesk's terms. {@link GoogleCalendarGateway}
 * is the real one (service account, retries); code above it can be tested against an in-memory
 * one. Every operation fails with a {@link GoogleCalendarException}; a write that fails with
 * {@link GoogleCalendarException#mayHaveBeenApplied()} (an answer was lost) may still have taken
 * effect in Google, which only a re-read tells.
 */
public interface GoogleCalendar {
    /** The private extended property that marks which create request made an event. */
    String REQUEST_MARKER = "pipedesk_request";

    /**
     * Inserts an event under its client-chosen id. When that id exists already and the stored
     * event carries the same {@link #REQUEST_MARKER} (a retry of an insert that had succeeded),
     * the stored event is returned, never a second one.
     *
     * @throws GoogleCalendarException.Duplicate when the id belongs to an event another request made
     */
    GoogleEventSnapshot insert(String calendarId, EventDraft draft);

    /**
     * Google creates Meet conferences asynchronously: while the event's conference is pending,
     * re-reads it with bounded backoff. Returns the last version read, which may still be pending;
     * never fails (the event exists either way).
     */
    GoogleEventSnapshot awaitConference(String calendarId, GoogleEventSnapshot event);

    GoogleEventSnapshot get(String calendarId, String eventId);

    /**
     * Applies the patch; with {@code If-Match} when an etag is given.
     *
     * @throws GoogleCalendarException.PreconditionFailed when the event changed since that etag
     */
    GoogleEventSnapshot patch(String calendarId, String eventId, EventPatch patch, String ifMatchEtag);

    /**
     * Deletes (Google cancels) the event.
     *
     * @throws GoogleCalendarException.Gone when it was deleted already
     */
    void delete(String calendarId, String eventId);
}
