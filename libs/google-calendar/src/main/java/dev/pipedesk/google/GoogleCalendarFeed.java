package dev.pipedesk.google;

/**
 * The Google Calendar operations the sync uses: reading a calendar's changes (sync tokens) and
 * its watch channels. {@link GoogleCalendarGateway} is the real one; every call runs under the
 * retry policy (a 5xx or 429 on a page is retried with the same page token; a 401 refreshes the
 * access token once) and fails with a {@link GoogleCalendarException}.
 */
public interface GoogleCalendarFeed {

    /**
     * The calendar's own id ({@code calendars.get}): {@code primary} becomes its owner's e-mail;
     * any other id comes back as Google writes it.
     *
     * @throws GoogleCalendarException.NotFound when the calendar does not exist or is not reachable
     */
    String canonicalId(String calendarId);

    /**
     * One page of {@code events.list} for the sync. With a {@code syncToken}: the changes since it
     * (only {@code pageToken} and the parameters of the full listing are sent with it, never one
     * Google forbids with a sync token). Without one: the full listing of the calendar, every
     * event, no time window ({@code singleEvents=false}, so recurring series come as Google
     * stores them). Cancelled events may come as bare tombstones ({@code id} and {@code status}).
     *
     * @param syncToken null for the full listing
     * @param pageToken null for the first page
     * @throws GoogleCalendarException.Gone (reason {@code fullSyncRequired}) when the sync token is
     *                                      no longer valid, on the first page or a later one
     */
    ChangePage listPage(String calendarId, String syncToken, String pageToken);

    /**
     * {@code events.watch}: opens a push channel for the calendar's events.
     *
     * @throws GoogleCalendarException.Rejected with reason {@code channelIdNotUnique} (use a new id) or
     *                                          {@code pushNotSupportedForRequestedResource} (poll it)
     * @throws GoogleCalendarException.NotFound when the calendar does not exist or is not reachable
     */
    WatchedChannel watch(String calendarId, WatchRequest request);

    /**
     * {@code channels.stop}.
     *
     * @throws GoogleCalendarException.NotFound when Google no longer knows the channel
     */
    void stop(String channelId, String resourceId);
}
