package dev.pipedesk.sync;

import dev.pipedesk.google.ChangePage;
import dev.pipedesk.google.GoogleCalendar;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;

/**
 * Temporary: the functions' Google gateway as the sync's {@link GoogleCalendarFeed}, for as long
 * as the gateway does not implement it. Until then every feed call fails as an unreachable Google
 * would ({@code Unavailable}, status 0): the channel routes answer 502 and the scheduled run
 * reports each calendar failed. Delete this class once {@code GoogleCalendarGateway implements
 * GoogleCalendarFeed} and pass the gateway itself.
 */
public enum UnwiredFeed implements GoogleCalendarFeed {
    INSTANCE;

    /** The gateway when it is a feed, else this stand-in. */
    public static GoogleCalendarFeed of(GoogleCalendar google) {
        return google instanceof GoogleCalendarFeed feed ? feed : INSTANCE;
    }

    private static GoogleCalendarException unwired() {
        return new GoogleCalendarException.Unavailable(0, "notWired",
                "This build's Google Calendar gateway cannot read changes or watch calendars", null, false);
    }

    /** Ids other than {@code primary} are their own canonical ids; {@code primary} cannot be resolved. */
    @Override
    public String canonicalId(String calendarId) {
        if (!CalendarIds.PRIMARY.equals(calendarId)) {
            return calendarId;
        }
        throw unwired();
    }

    @Override
    public ChangePage listPage(String calendarId, String syncToken, String pageToken) {
        throw unwired();
    }

    @Override
    public WatchedChannel watch(String calendarId, WatchRequest request) {
        throw unwired();
    }

    @Override
    public void stop(String channelId, String resourceId) {
        throw unwired();
    }
}
