package dev.pipedesk.google;

import com.google.api.client.googleapis.services.AbstractGoogleClientRequest;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The {@link GoogleCalendarFeed} operations of {@link GoogleCalendarGateway}: the same client,
 * the same {@link GoogleCalls} retry policy and the same per-attempt deadline, so a 5xx or 429 on
 * a page is retried with the same page token, a 401 refreshes the access token once, and 400,
 * 404 and 410 come out typed at once (never retried).
 *
 * <p>A watch (or stop) retried after a lost answer may meet {@code channelIdNotUnique} (or 404)
 * with {@link GoogleCalendarException#mayHaveBeenApplied()} true: the first attempt's channel may
 * exist at Google, unknown to the caller; it expires on its own, and its notifications come from
 * a channel PipeDesk does not know.
 */
final class GatewayFeed implements GoogleCalendarFeed {
    private static final Logger LOG = Logger.getLogger(GatewayFeed.class.getName());

    /** One attempt of a request by its deadline (the gateway's {@code send}). */
    @FunctionalInterface
    interface Sender {
        <T> T send(AbstractGoogleClientRequest<T> request, Instant deadline) throws IOException;
    }

    private final Calendar calendar;
    private final GoogleCalls calls;
    private final Sender sender;
    private final int pageSize;
    private final Clock clock;

    GatewayFeed(Calendar calendar, GoogleCalls calls, Sender sender, int pageSize, Clock clock) {
        this.calendar = calendar;
        this.calls = calls;
        this.sender = sender;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    @Override
    public String canonicalId(String calendarId) {
        return calls.run("calendars.get", deadline -> sender.send(calendar.calendars().get(calendarId), deadline))
                .getId();
    }

    /**
     * {@inheritDoc} Sent: {@code maxResults} ({@code GOOGLE_SYNC_PAGE_SIZE}), {@code singleEvents=false},
     * and {@code syncToken} / {@code pageToken} when given; never a time window, {@code showDeleted},
     * {@code updatedMin}, {@code q}, {@code orderBy}, {@code iCalUID} or an extended-property filter,
     * so the full listing and the incremental one are the same query (Google requires that).
     */
    @Override
    public ChangePage listPage(String calendarId, String syncToken, String pageToken) {
        Events page = calls.run("events.list", deadline -> {
            Calendar.Events.List request = calendar.events().list(calendarId)
                    .setMaxResults(pageSize)
                    .setSingleEvents(false);
            if (syncToken != null) {
                request.setSyncToken(syncToken);
            }
            if (pageToken != null) {
                request.setPageToken(pageToken);
            }
            return sender.send(request, deadline);
        });
        List<Event> items = page.getItems() == null ? List.of() : page.getItems();
        return new ChangePage(items.stream().map(GoogleEvents::snapshot).toList(), page.getNextPageToken(),
                page.getNextSyncToken());
    }

    /** {@inheritDoc} The channel's token is sent to Google and nowhere else (never logged). */
    @Override
    public WatchedChannel watch(String calendarId, WatchRequest request) {
        Channel channel = new Channel()
                .setId(request.channelId())
                .setType("web_hook")
                .setAddress(request.address())
                .setToken(request.token())
                .setParams(Map.of("ttl", Long.toString(request.ttl().toSeconds())));
        Channel answered = calls.run("events.watch",
                deadline -> sender.send(calendar.events().watch(calendarId, channel), deadline));
        Instant expiresAt;
        if (answered.getExpiration() != null) {
            expiresAt = Instant.ofEpochMilli(answered.getExpiration());
        } else {
            // Google always answers one; should it not, the lifetime asked for is the best guess.
            expiresAt = clock.instant().plus(request.ttl());
            LOG.warning(() -> "Google events.watch answered channel " + answered.getId()
                    + " without an expiration; assuming the requested " + request.ttl());
        }
        return new WatchedChannel(answered.getId(), answered.getResourceId(), expiresAt);
    }

    @Override
    public void stop(String channelId, String resourceId) {
        Channel channel = new Channel().setId(channelId).setResourceId(resourceId);
        calls.run("channels.stop", deadline -> sender.send(calendar.channels().stop(channel), deadline));
    }
}
