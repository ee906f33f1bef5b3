package dev.pipedesk.sync.testing;

import dev.pipedesk.google.ChangePage;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Google's side of watch channels, in memory, for tests of the channel logic (the seam to Google;
 * the sync's own tests use the emulator). It opens channels with the expiry Google would answer
 * (the TTL asked for, clamped to {@link #clampTtlTo}), keeps them until stopped, answers 404 to a
 * stop of a channel it does not know, and fails the next watches with what a test scripts. Every
 * watch and stop is logged in order ({@link #calls()}). Thread-safe.
 */
public final class InMemoryGoogleFeed implements GoogleCalendarFeed {
    private final Clock clock;
    private final Map<String, String> aliases = new HashMap<>();
    private final Map<String, Deque<GoogleCalendarException>> watchFailures = new HashMap<>();
    private final Map<String, GoogleCalendarException> stopFailures = new HashMap<>();
    private final Map<String, String> open = new HashMap<>();
    private final Set<String> everUsedIds = new HashSet<>();
    private final List<String> calls = new ArrayList<>();
    private final List<WatchRequest> watchRequests = new ArrayList<>();
    private Duration maxTtl = Duration.ofDays(7);
    private CountDownLatch watchGate;

    public InMemoryGoogleFeed(Clock clock) {
        this.clock = clock;
    }

    /** {@code calendars.get} resolves {@code alias} (e.g. {@code primary}) to {@code calendarId}. */
    public synchronized InMemoryGoogleFeed alias(String alias, String calendarId) {
        aliases.put(alias, calendarId);
        return this;
    }

    /** Channel lifetimes are clamped to this (Google's own limit is undocumented). */
    public synchronized void clampTtlTo(Duration ttl) {
        maxTtl = ttl;
    }

    /** The next watch of {@code calendarId} fails with {@code failure} (scripted failures are used in order). */
    public synchronized void failNextWatch(String calendarId, GoogleCalendarException failure) {
        watchFailures.computeIfAbsent(calendarId, id -> new ArrayDeque<>()).add(failure);
    }

    /** The next stop of {@code channelId} fails with {@code failure} (the channel stays open). */
    public synchronized void failNextStop(String channelId, GoogleCalendarException failure) {
        stopFailures.put(channelId, failure);
    }

    /** Google has seen this channel id before: a watch with it answers 400 {@code channelIdNotUnique}. */
    public synchronized void idUsedBefore(String channelId) {
        everUsedIds.add(channelId);
    }

    /** Google forgets the channel (it expired, or was stopped elsewhere): a stop answers 404. */
    public synchronized void forget(String channelId) {
        open.remove(channelId);
    }

    /**
     * Holds every watch call at its start until the returned latch is counted down (a test uses it
     * to see what other callers do meanwhile). Calls made after the release pass straight through.
     */
    public synchronized CountDownLatch holdWatches() {
        watchGate = new CountDownLatch(1);
        return watchGate;
    }

    /** Every watch and stop, in order: {@code watch <calendar> <channel id>}, {@code stop <channel id>}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The watch calls only, in order. */
    public synchronized List<String> watchCalls() {
        return calls.stream().filter(call -> call.startsWith("watch ")).toList();
    }

    /** Every watch request received (token included), in order. */
    public synchronized List<WatchRequest> watchRequests() {
        return List.copyOf(watchRequests);
    }

    /** The channels Google holds open now. */
    public synchronized Set<String> openChannels() {
        return Set.copyOf(open.keySet());
    }

    /** Google's resource id of a calendar's events (the same for every channel on it). */
    public static String resourceIdOf(String calendarId) {
        return "resource-" + calendarId;
    }

    public static GoogleCalendarException.Rejected rejected(int status, String reason) {
        return new GoogleCalendarException.Rejected(status, reason, "Google refused (" + reason + ")", null);
    }

    public static GoogleCalendarException.NotFound notFound() {
        return new GoogleCalendarException.NotFound("notFound", "Not Found", null);
    }

    public static GoogleCalendarException.Unavailable unavailable() {
        return new GoogleCalendarException.Unavailable(503, "backendError", "Backend Error", null);
    }

    @Override
    public synchronized String canonicalId(String calendarId) {
        return aliases.getOrDefault(calendarId, calendarId);
    }

    @Override
    public ChangePage listPage(String calendarId, String syncToken, String pageToken) {
        throw new UnsupportedOperationException("the channel tests list no events");
    }

    @Override
    public WatchedChannel watch(String calendarId, WatchRequest request) {
        CountDownLatch gate;
        synchronized (this) {
            gate = watchGate;
        }
        if (gate != null) {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a held watch was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        synchronized (this) {
            calls.add("watch " + calendarId + " " + request.channelId());
            watchRequests.add(request);
            Deque<GoogleCalendarException> failures = watchFailures.get(calendarId);
            if (failures != null && !failures.isEmpty()) {
                throw failures.poll();
            }
            if (!everUsedIds.add(request.channelId())) {
                throw rejected(400, "channelIdNotUnique");
            }
            Duration ttl = request.ttl().compareTo(maxTtl) > 0 ? maxTtl : request.ttl();
            Instant expires = clock.instant().plus(ttl).truncatedTo(ChronoUnit.MILLIS);
            open.put(request.channelId(), resourceIdOf(calendarId));
            return new WatchedChannel(request.channelId(), resourceIdOf(calendarId), expires);
        }
    }

    @Override
    public synchronized void stop(String channelId, String resourceId) {
        calls.add("stop " + channelId);
        GoogleCalendarException failure = stopFailures.remove(channelId);
        if (failure != null) {
            throw failure;
        }
        if (open.remove(channelId) == null) {
            throw new GoogleCalendarException.NotFound("notFound", "Channel '" + channelId + "' not found", null);
        }
    }
}
