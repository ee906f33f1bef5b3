package dev.pipedesk.sync;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.google.GoogleFailures;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;
import dev.pipedesk.postgres.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The watch channels of the synced calendars ({@code GOOGLE_SYNC_CALENDARS}); PostgreSQL is their
 * system of record (Google cannot list them).
 *
 * <p>Every change to a calendar's channels happens in one transaction that holds the calendar's
 * channel lock ({@link SyncStateRepository#lockChannels}, an advisory lock, so the webhook's and
 * the sync's updates of the calendar's row never wait for a Google call): callers racing on one
 * calendar (repeated {@code POST /api/calendar/watch}, two scheduled runs) take turns, so each
 * sees what the one before it did and exactly one channel is opened. Google is called inside that
 * transaction: what Google opened is stored in the same commit.
 *
 * <p>A channel is <em>live</em> when it is neither stopped nor expired; it is <em>fresh</em> when it
 * still has more than the renewal margin to live: {@code CHANNEL_RENEW_BEFORE_SECONDS}, or half
 * its whole lifetime when Google clamped that below the margin (so a short clamp does not make
 * every call open a new channel). A calendar keeps its freshest live channel; when that one is not
 * fresh, a new channel is opened <em>first</em> and the old one stopped after it; any other live
 * channel (an orphan) is stopped. At rest a calendar has exactly one live channel, never more than
 * two. A stop that Google answers 404 counts as done (the channel is gone); another stop failure
 * leaves the channel live in the table, to be stopped by the next run (no retry loop).
 *
 * <p>{@code events.watch} failures: {@code channelIdNotUnique} is retried once with a new id;
 * {@code pushNotSupportedForRequestedResource} marks the calendar {@code poll_only} (the scheduled
 * run then syncs it every time and does not ask for a channel again; an explicit
 * {@link #ensureChannel} does); 404, or a 403 that is not a rate limit, marks it {@code failed} and
 * stops its live channels; anything else leaves the calendar as it is (its live channel, if any,
 * keeps serving). The transient ones were already retried with backoff by the feed.
 *
 * <p>Each channel gets a random token ({@link ChannelSecrets}) that Google echoes with every
 * notification; only its SHA-256 is stored, and the token is never returned or logged.
 */
public final class ChannelManager {
    private static final Logger LOG = Logger.getLogger(ChannelManager.class.getName());
    /** The channels per calendar {@link #overview()} shows. */
    static final int RECENT_CHANNELS = 10;
    /**
     * The start of every failure reason this class stores: a later successful watch clears such a
     * reason (the calendar is reachable again), never one the sync stored.
     */
    static final String WATCH_FAILURE = "events.watch: ";
    static final String CHANNEL_ID_NOT_UNIQUE = "channelIdNotUnique";
    static final String PUSH_NOT_SUPPORTED = "pushNotSupportedForRequestedResource";

    private final DataSource dataSource;
    private final GoogleCalendarFeed google;
    private final CalendarIds calendarIds;
    private final SyncQueue queue;
    private final SyncSettings settings;
    private final Clock clock;
    private final ChannelSecrets secrets;
    private final SyncStateRepository states;
    private final WatchChannelRepository channels;

    public ChannelManager(DataSource dataSource, GoogleCalendarFeed google, CalendarIds calendarIds, SyncQueue queue,
                          SyncSettings settings, Clock clock) {
        this(dataSource, google, calendarIds, queue, settings, clock, ChannelSecrets.secure());
    }

    /** @param secrets where channel ids and tokens come from ({@link ChannelSecrets#secure()} outside tests) */
    public ChannelManager(DataSource dataSource, GoogleCalendarFeed google, CalendarIds calendarIds, SyncQueue queue,
                          SyncSettings settings, Clock clock, ChannelSecrets secrets) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.google = Objects.requireNonNull(google, "google");
        this.calendarIds = Objects.requireNonNull(calendarIds, "calendarIds");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.states = new SyncStateRepository(dataSource);
        this.channels = new WatchChannelRepository(dataSource);
    }

    /**
     * The channel manager a function runs: {@link SyncSettings} and the sync queue
     * ({@link SyncQueueSettings}) from the environment, ids and tokens from {@link ChannelSecrets#secure()}.
     */
    public static ChannelManager fromEnv(Env env, DataSource dataSource, GoogleCalendarFeed google, Clock clock) {
        return new ChannelManager(dataSource, google, new CalendarIds(dataSource, google),
                SqsSyncQueue.create(SyncQueueSettings.fromEnv(env)), SyncSettings.fromEnv(env), clock);
    }

    /**
     * A calendar's live channel after {@link #ensureChannel}.
     *
     * @param channel the channel
     * @param created whether this call opened it (false: it was live already)
     * @param view    the channel as the API shows it
     */
    public record Watched(WatchChannel channel, boolean created, ChannelView view) {
    }

    // --- POST /api/calendar/watch -------------------------------------------------------------

    /**
     * Makes sure the calendar has a fresh live channel and returns it: the existing one, or one
     * opened now (the older, no longer fresh one is then stopped). A calendar with no sync token
     * yet gets a first sync requested when its channel is opened.
     *
     * @param calendarIdAsGiven a calendar id as a client wrote it ({@code primary} allowed)
     * @throws ApiException 422 on {@code calendar_id} when it is not a synced calendar, when
     *                      {@code WEBHOOK_BASE_URL} is not configured, or when Google does not support
     *                      push for it (it is then {@code poll_only}); 502/503 when Google fails (a
     *                      404 or 403 on the calendar also marks it {@code failed})
     */
    public Watched ensureChannel(String calendarIdAsGiven) {
        String calendarId = syncedCalendar(calendarIdAsGiven);
        String address = settings.webhookAddress();
        if (address == null) {
            throw ApiException.validation("calendar_id", "cannot be watched: WEBHOOK_BASE_URL is not configured, "
                    + "so Google has no address to send notifications to");
        }
        Attempt attempt = converge(calendarId, address, true);
        return switch (attempt) {
            case Attempt.Kept kept -> new Watched(kept.channel(), false, ChannelView.of(kept.channel(), clock.instant()));
            case Attempt.Opened opened -> {
                requestFirstSyncIfNeeded(opened);
                yield new Watched(opened.channel(), true, ChannelView.of(opened.channel(), clock.instant()));
            }
            case Attempt.PushUnsupported unsupported -> throw ApiException.validation("calendar_id",
                    "cannot be watched: Google does not support push notifications for this calendar; "
                            + "it is now poll_only and synced by every scheduled run");
            case Attempt.CalendarUnreachable unreachable -> throw GoogleFailures.nothingChanged(
                    "open a watch channel on the calendar (it is now marked failed)", unreachable.cause());
            case Attempt.WatchFailed failed -> throw GoogleFailures.nothingChanged("open a watch channel",
                    failed.cause());
            case Attempt.Skipped skipped -> throw new IllegalStateException("an explicit watch is never skipped");
        };
    }

    // --- GET /api/calendar/channels -------------------------------------------------------------

    /**
     * Every synced calendar (the configured ones, as canonical ids) and every other calendar that
     * has a sync-state row, by id: its sync state and its {@value #RECENT_CHANNELS} most recent
     * channels, live ones first.
     *
     * @throws ApiException 502/503 when {@code primary} has to be resolved and Google fails
     */
    public List<CalendarSyncView> overview() {
        Set<String> configured = configuredCalendars().orThrow();
        Map<String, SyncState> rows = states.all().stream()
                .collect(Collectors.toMap(SyncState::calendarId, Function.identity()));
        Set<String> all = new TreeSet<>(configured);
        all.addAll(rows.keySet());
        Instant now = clock.instant();
        List<CalendarSyncView> views = new ArrayList<>();
        for (String calendarId : all) {
            SyncState state = rows.get(calendarId);
            List<ChannelView> recent = channels.recent(calendarId, RECENT_CHANNELS).stream()
                    .map(channel -> ChannelView.of(channel, now)).toList();
            if (state == null) {
                views.add(new CalendarSyncView(calendarId, true, SyncStatus.SYNCING, null, null, null, null, null,
                        List.of(), recent));
            } else {
                Duration tokenAge = state.syncTokenAge(now);
                views.add(new CalendarSyncView(calendarId, configured.contains(calendarId), state.status(),
                        state.failureReason(), state.lastSyncAt(), state.lastFullSyncAt(), state.lastNotificationAt(),
                        tokenAge == null ? null : Math.max(0, tokenAge.toSeconds()), state.skippedEvents(), recent));
            }
        }
        return views;
    }

    // --- DELETE /api/calendar/channels/{id} -----------------------------------------------------

    /**
     * Stops the channel in Google (a 404 means it is gone already) and marks it stopped; a channel
     * stopped already is left as it is. Returns the channel as it is now. A calendar that is still
     * synced gets a new channel from the next scheduled run.
     *
     * @throws ApiException 404 for an unknown channel; 502/503 when Google fails to stop it (it then stays live)
     */
    public ChannelView stop(String channelId) {
        WatchChannel known = channels.find(channelId)
                .orElseThrow(() -> ApiException.notFound("watch channel", channelId));
        WatchChannel after = Transactions.inTransaction(dataSource, connection -> {
            states.lockChannels(connection, known.calendarId());
            WatchChannel current = channels.find(connection, channelId).orElseThrow();
            if (current.stopped()) {
                return current;
            }
            try {
                google.stop(current.id(), current.resourceId());
            } catch (GoogleCalendarException.NotFound gone) {
                LOG.info(() -> "Channel " + channelId + " was already gone in Google; marking it stopped");
            } catch (GoogleCalendarException e) {
                throw GoogleFailures.nothingChanged("stop the watch channel", e);
            }
            channels.markStopped(connection, channelId, null, clock.instant());
            return channels.find(connection, channelId).orElseThrow();
        });
        return ChannelView.of(after, clock.instant());
    }

    // --- the scheduled run --------------------------------------------------------------------

    /**
     * The scheduled run: channels whose expiry passed without a stop are marked stopped (Google
     * sends nothing more on them); then every synced calendar gets one attempt at a fresh live
     * channel (renewal: new first, then the old one stopped; orphans stopped; a {@code failed}
     * calendar is tried again, a {@code poll_only} one is not), and a sync is requested for it when
     * needed: a first sync when a channel was opened and it has no sync token yet, else a backstop
     * sync when it is {@code poll_only} or nothing (no notification, no sync) happened on it for
     * {@code SYNC_BACKSTOP_SECONDS}. One calendar's failure never stops the others.
     */
    public RenewalReport renewAll() {
        Instant ranAt = clock.instant();
        List<String> expired = new ArrayList<>();
        for (WatchChannel channel : channels.expiredUnstopped(ranAt)) {
            if (channels.markStopped(channel.id(), null, ranAt)) {
                expired.add(channel.id());
            }
        }
        List<CalendarRenewal> results = new ArrayList<>();
        Configured configured = configuredCalendars();
        configured.unresolved().forEach((alias, e) -> results.add(new CalendarRenewal(alias, ChannelAction.FAILED,
                null, null, "could not resolve the calendar id: " + describe(e), List.of(), List.of(), null, null,
                null)));
        String address = settings.webhookAddress();
        for (String calendarId : configured.canonical()) {
            try {
                results.add(renew(calendarId, address));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Channel renewal of calendar " + calendarId + " failed", e);
                results.add(new CalendarRenewal(calendarId, ChannelAction.FAILED, null, null,
                        "internal error: " + e.getClass().getSimpleName(), List.of(), List.of(), null, null, null));
            }
        }
        results.sort(Comparator.comparing(CalendarRenewal::calendarId));
        return new RenewalReport(ranAt, address, results, expired);
    }

    private CalendarRenewal renew(String calendarId, String address) {
        Attempt attempt = address == null ? null : converge(calendarId, address, false);
        SyncRequest.Reason requested = null;
        String requestFailure = null;
        if (attempt instanceof Attempt.Opened opened && opened.needsFirstSync()) {
            requestFailure = request(SyncRequest.Reason.FIRST_SYNC, calendarId);
            requested = SyncRequest.Reason.FIRST_SYNC;
        } else if (backstopDue(states.ensure(calendarId))) {
            requestFailure = request(SyncRequest.Reason.BACKSTOP, calendarId);
            requested = SyncRequest.Reason.BACKSTOP;
        }
        SyncStatus state = states.find(calendarId).map(SyncState::status).orElse(null);
        if (attempt == null) {
            return new CalendarRenewal(calendarId, ChannelAction.NO_WEBHOOK, null, null,
                    "WEBHOOK_BASE_URL is not configured", List.of(), List.of(), requested, requestFailure, state);
        }
        return switch (attempt) {
            case Attempt.Kept kept -> renewal(calendarId, ChannelAction.KEPT, kept.channel(), null, kept.stops(),
                    requested, requestFailure, state);
            case Attempt.Opened opened -> renewal(calendarId, opened.renewed() ? ChannelAction.RENEWED
                    : ChannelAction.CREATED, opened.channel(), null, opened.stops(), requested, requestFailure, state);
            case Attempt.Skipped skipped -> renewal(calendarId, ChannelAction.POLL_ONLY, null,
                    skipped.reason(), Stops.NONE, requested, requestFailure, state);
            case Attempt.PushUnsupported unsupported -> renewal(calendarId, ChannelAction.POLL_ONLY, null,
                    unsupported.reason(), Stops.NONE, requested, requestFailure, state);
            case Attempt.CalendarUnreachable unreachable -> renewal(calendarId, ChannelAction.FAILED, null,
                    unreachable.reason(), unreachable.stops(), requested, requestFailure, state);
            case Attempt.WatchFailed failed -> renewal(calendarId, ChannelAction.FAILED, failed.live(),
                    failed.reason(), Stops.NONE, requested, requestFailure, state);
        };
    }

    private static CalendarRenewal renewal(String calendarId, ChannelAction action, WatchChannel live, String reason,
                                           Stops stops, SyncRequest.Reason requested, String requestFailure,
                                           SyncStatus state) {
        return new CalendarRenewal(calendarId, action, live == null ? null : live.id(),
                live == null ? null : live.expiresAt(), reason, stops.stopped(), stops.failures(), requested,
                requestFailure, state);
    }

    /** A poll-only calendar always; any other when nothing happened on it for the backstop interval. */
    private boolean backstopDue(SyncState state) {
        if (state.status() == SyncStatus.POLL_ONLY) {
            return true;
        }
        Instant lastActivity = state.lastActivity();
        return lastActivity == null || !lastActivity.isAfter(clock.instant().minus(settings.backstopInterval()));
    }

    private void requestFirstSyncIfNeeded(Attempt.Opened opened) {
        if (opened.needsFirstSync()) {
            String failure = request(SyncRequest.Reason.FIRST_SYNC, opened.channel().calendarId());
            if (failure != null) {
                LOG.warning(() -> "The first sync of " + opened.channel().calendarId() + " could not be requested ("
                        + failure + "); the next scheduled run requests it");
            }
        }
    }

    /** Sends the request; returns why it failed, or null. */
    private String request(SyncRequest.Reason reason, String calendarId) {
        try {
            queue.request(new SyncRequest(calendarId, reason, null, null, clock.instant()));
            return null;
        } catch (SyncQueueUnavailableException e) {
            LOG.log(Level.WARNING, "Could not request a " + reason + " sync of " + calendarId, e);
            return e.getMessage();
        }
    }

    // --- one calendar, under its lock ---------------------------------------------------------

    /** What one locked pass over a calendar's channels came to. */
    private sealed interface Attempt {
        /** Its freshest live channel is fresh; other live channels were stopped. */
        record Kept(WatchChannel channel, Stops stops) implements Attempt {
        }

        /** A channel was opened; older live ones were stopped after it. */
        record Opened(WatchChannel channel, boolean renewed, boolean needsFirstSync, Stops stops) implements Attempt {
        }

        /** A poll-only calendar in a scheduled run: no watch asked for. */
        record Skipped(String reason) implements Attempt {
        }

        /** Google does not support push for it: now poll_only. */
        record PushUnsupported(String reason, GoogleCalendarException cause) implements Attempt {
        }

        /** 404/403 on the calendar: now failed, its live channels stopped. */
        record CalendarUnreachable(String reason, GoogleCalendarException cause, Stops stops) implements Attempt {
        }

        /** Any other watch failure: nothing changed; {@code live} is its live channel still serving, or null. */
        record WatchFailed(String reason, GoogleCalendarException cause, WatchChannel live) implements Attempt {
        }
    }

    /** Channels stopped in a pass, and those Google failed to stop ({@code id: reason}). */
    private record Stops(List<String> stopped, List<String> failures) {
        static final Stops NONE = new Stops(List.of(), List.of());
    }

    /**
     * One locked pass over the calendar's channels (see the class comment).
     *
     * @param watchPollOnly whether a poll-only calendar is asked for a channel again
     */
    private Attempt converge(String calendarId, String address, boolean watchPollOnly) {
        states.ensure(calendarId);
        return Transactions.inTransaction(dataSource, connection -> {
            SyncState state = states.lockChannels(connection, calendarId).orElseThrow();
            Instant now = clock.instant();
            List<WatchChannel> live = channels.live(connection, calendarId, now);
            WatchChannel freshest = live.isEmpty() ? null : live.getFirst();
            if (freshest != null && isFresh(freshest, now)) {
                return new Attempt.Kept(freshest, stopAll(connection, live.subList(1, live.size()), freshest.id(), now));
            }
            if (state.status() == SyncStatus.POLL_ONLY && !watchPollOnly) {
                return new Attempt.Skipped(state.failureReason());
            }
            Opening opening = open(calendarId, address, now);
            return switch (opening) {
                case Opening.Opened opened -> {
                    WatchChannel channel = new WatchChannel(opened.channelId(), calendarId,
                            opened.answer().resourceId(), opened.tokenSha256(), address,
                            Objects.requireNonNullElse(opened.answer().expiresAt(), now.plus(settings.channelTtl())),
                            false, null, null, now, null);
                    channels.insert(connection, channel);
                    Stops replaced = stopAll(connection, live, channel.id(), now);
                    // The state row is written last: its lock is then held only until the commit, never
                    // across a Google call (the webhook and the sync update the same row).
                    if (state.status() == SyncStatus.POLL_ONLY || state.status() == SyncStatus.FAILED
                            && state.failureReason() != null && state.failureReason().startsWith(WATCH_FAILURE)) {
                        states.setState(connection, calendarId, SyncStatus.SYNCING, null, now);
                    }
                    LOG.info(() -> "Opened watch channel " + channel.id() + " on " + calendarId + " (expires "
                            + channel.expiresAt() + (freshest == null ? ")" : "; replaces " + freshest.id() + ")"));
                    yield new Attempt.Opened(channel, freshest != null, state.syncToken() == null, replaced);
                }
                case Opening.PushUnsupported unsupported -> {
                    String reason = WATCH_FAILURE + describe(unsupported.cause())
                            + " (Google does not support push for this calendar: it is synced by every scheduled run)";
                    states.setState(connection, calendarId, SyncStatus.POLL_ONLY, reason, now);
                    LOG.warning(() -> "Calendar " + calendarId + " is poll_only: " + reason);
                    yield new Attempt.PushUnsupported(reason, unsupported.cause());
                }
                case Opening.Unreachable unreachable -> {
                    String reason = WATCH_FAILURE + describe(unreachable.cause());
                    Stops cleanedUp = stopAll(connection, live, null, now);
                    states.setState(connection, calendarId, SyncStatus.FAILED, reason, now);
                    LOG.warning(() -> "Calendar " + calendarId + " is failed: " + reason);
                    yield new Attempt.CalendarUnreachable(reason, unreachable.cause(), cleanedUp);
                }
                case Opening.Failed failed -> {
                    String reason = WATCH_FAILURE + describe(failed.cause());
                    LOG.warning(() -> "Could not open a watch channel on " + calendarId + ": " + reason);
                    yield new Attempt.WatchFailed(reason, failed.cause(), freshest);
                }
            };
        });
    }

    /**
     * Whether the channel has more than the renewal margin left: {@code CHANNEL_RENEW_BEFORE_SECONDS},
     * or half its lifetime when that is shorter (Google clamped it).
     */
    private boolean isFresh(WatchChannel channel, Instant now) {
        Duration margin = settings.renewBefore();
        Duration halfLife = Duration.between(channel.createdAt(), channel.expiresAt()).dividedBy(2);
        if (halfLife.compareTo(margin) < 0) {
            margin = halfLife;
        }
        return channel.expiresAt().isAfter(now.plus(margin));
    }

    /**
     * Stops each channel in Google and marks it stopped (replaced by {@code replacedBy}); a 404
     * counts as stopped; any other failure leaves it live for the next run.
     */
    private Stops stopAll(Connection connection, List<WatchChannel> old, String replacedBy, Instant now)
            throws SQLException {
        if (old.isEmpty()) {
            return Stops.NONE;
        }
        List<String> stopped = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (WatchChannel channel : old) {
            try {
                google.stop(channel.id(), channel.resourceId());
            } catch (GoogleCalendarException.NotFound gone) {
                LOG.info(() -> "Channel " + channel.id() + " was already gone in Google; marking it stopped");
            } catch (GoogleCalendarException e) {
                LOG.warning(() -> "Could not stop channel " + channel.id() + " of " + channel.calendarId() + ": "
                        + describe(e) + "; the next run tries again");
                failures.add(channel.id() + ": " + describe(e));
                continue;
            }
            channels.markStopped(connection, channel.id(), replacedBy, now);
            stopped.add(channel.id());
        }
        return new Stops(stopped, failures);
    }

    /** What {@code events.watch} answered. */
    private sealed interface Opening {
        record Opened(String channelId, String tokenSha256, WatchedChannel answer) implements Opening {
        }

        record PushUnsupported(GoogleCalendarException cause) implements Opening {
        }

        record Unreachable(GoogleCalendarException cause) implements Opening {
        }

        record Failed(GoogleCalendarException cause) implements Opening {
        }
    }

    /** {@code events.watch} with a new id and token; {@code channelIdNotUnique} is retried once with another id. */
    private Opening open(String calendarId, String address, Instant now) {
        for (int attempt = 1; ; attempt++) {
            String channelId = secrets.newChannelId();
            String token = secrets.newToken();
            try {
                WatchedChannel answer = google.watch(calendarId,
                        new WatchRequest(channelId, address, token, settings.channelTtl()));
                return new Opening.Opened(channelId, Hashes.sha256Hex(token), answer);
            } catch (GoogleCalendarException.Rejected e) {
                if (CHANNEL_ID_NOT_UNIQUE.equals(e.reason()) && attempt == 1) {
                    LOG.warning(() -> "Google says channel id " + channelId + " is taken; trying a new one");
                    continue;
                }
                if (PUSH_NOT_SUPPORTED.equals(e.reason())) {
                    return new Opening.PushUnsupported(e);
                }
                return e.status() == 403 ? new Opening.Unreachable(e) : new Opening.Failed(e);
            } catch (GoogleCalendarException.NotFound e) {
                return new Opening.Unreachable(e);
            } catch (GoogleCalendarException e) {
                return new Opening.Failed(e);
            }
        }
    }

    // --- calendar ids -------------------------------------------------------------------------

    /** The canonical id of a calendar a client named, which must be a synced one (422 otherwise). */
    private String syncedCalendar(String calendarIdAsGiven) {
        String canonical;
        try {
            canonical = calendarIds.canonical(calendarIdAsGiven);
        } catch (GoogleCalendarException e) {
            throw GoogleFailures.nothingChanged("resolve the calendar id " + ApiException.excerpt(calendarIdAsGiven), e);
        }
        if (settings.calendars().contains(calendarIdAsGiven) || settings.calendars().contains(canonical)
                || configuredCalendars().orThrow().contains(canonical)) {
            return canonical;
        }
        throw ApiException.validation("calendar_id", "is not a synced calendar (GOOGLE_SYNC_CALENDARS)");
    }

    /**
     * The configured calendars resolved to canonical ids.
     *
     * @param canonical  the canonical ids, sorted
     * @param unresolved configured aliases Google could not resolve, with the failure
     */
    private record Configured(Set<String> canonical, Map<String, GoogleCalendarException> unresolved) {
        /** The canonical ids, or the first resolution failure as the API answers it. */
        Set<String> orThrow() {
            unresolved.forEach((alias, e) -> {
                throw GoogleFailures.nothingChanged("resolve the calendar id " + alias, e);
            });
            return canonical;
        }
    }

    private Configured configuredCalendars() {
        Set<String> canonical = new TreeSet<>();
        Map<String, GoogleCalendarException> unresolved = new TreeMap<>();
        for (String configured : new TreeSet<>(settings.calendars())) {
            try {
                canonical.add(calendarIds.canonical(configured));
            } catch (GoogleCalendarException e) {
                unresolved.put(configured, e);
            }
        }
        return new Configured(canonical, unresolved);
    }

    /**
     * A Google failure as a stored and reported reason: Google's status and reason only (the
     * exception's message is not repeated: nothing of a request, such as a channel token, can leak).
     */
    static String describe(GoogleCalendarException e) {
        return "Google answered " + (e.status() == 0 ? "nothing (no response)" : Integer.toString(e.status()))
                + (e.reason() == null ? "" : " " + e.reason());
    }
}
