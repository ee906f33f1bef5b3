package dev.pipedesk.emulator.calendar;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Fault injection and inspection for tests. The same operations are served over HTTP under
 * {@code /emulator/} (see the module README). Calendar ids may be given as {@code primary}: it
 * means the calendar last reached as {@code primary} through the API.
 */
public final class EmulatorControl {

    private final CalendarService service;
    private final ChannelRegistry channels;
    private final PushDispatcher push;
    private final FaultInjector faults;
    private final CallLog calls;
    private final Conferences conferences;
    private final Switches switches;
    private final TokenEndpoint tokens;

    EmulatorControl(CalendarService service, ChannelRegistry channels, PushDispatcher push, FaultInjector faults,
                    CallLog calls, Conferences conferences, Switches switches, TokenEndpoint tokens) {
        this.service = service;
        this.channels = channels;
        this.push = push;
        this.faults = faults;
        this.calls = calls;
        this.conferences = conferences;
        this.switches = switches;
        this.tokens = tokens;
    }

    /** Forgets all events, channels, tokens' validity, faults, recorded calls and deliveries; switches back to the options. */
    public void reset() {
        service.reset();
        channels.reset();
        push.reset();
        faults.clear();
        tokens.forgetRevocations();
        calls.clear();
        conferences.reset();
        switches.reset();
    }

    // --- API faults -------------------------------------------------------------------------------

    /** The next {@code count} Calendar API calls answer {@code status} with {@code reason} (e.g. 503 backendError). */
    public void failNext(int count, int status, String reason) {
        failNext(count, CallMatcher.anyApiCall(), status, reason, null);
    }

    public void failNext(int count, CallMatcher matcher, int status, String reason) {
        failNext(count, matcher, status, reason, null);
    }

    /**
     * The next {@code count} calls matching {@code matcher} are not processed and answer
     * {@code status} in Google's error shape; the domain follows from the reason (usageLimits for
     * rateLimitExceeded, userRateLimitExceeded, quotaExceeded). 502 and 504 without a reason
     * answer an HTML gateway page, as Google's front end does.
     */
    public void failNext(int count, CallMatcher matcher, int status, String reason, String message) {
        failNext(count, matcher, status, reason, message, null);
    }

    /**
     * As {@link #failNext(int, CallMatcher, int, String, String)}, with a {@code Retry-After}
     * header of {@code retryAfter} (whole seconds) on each answer, as Google sometimes sends with
     * a 429 or a rate-limit 403; null sends none.
     */
    public void failNext(int count, CallMatcher matcher, int status, String reason, String message,
                         Duration retryAfter) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx, got " + status);
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        faults.failNext(count, Objects.requireNonNull(matcher),
                new FaultInjector.InjectedFailure(status, reason, message, retryAfter));
    }

    /** The next {@code count} Calendar API calls are processed, then the connection closes without a response. */
    public void dropResponseAfterCommit(int count) {
        dropResponseAfterCommit(count, CallMatcher.anyApiCall());
    }

    public void dropResponseAfterCommit(int count, CallMatcher matcher) {
        faults.dropNext(count, Objects.requireNonNull(matcher));
    }

    /** The next {@code count} authenticated calls answer 401 authError, whatever the token. */
    public void failNextAuth(int count) {
        faults.failNextAuth(count);
    }

    /**
     * Every access token issued so far is revoked (as when it expires early or the key is
     * rotated): a call carrying one answers 401 {@code authError} whatever the options say; a new
     * token from {@code POST /token} works.
     */
    public void revokeAccessTokens() {
        tokens.revokeAll();
    }

    public void clearFaults() {
        faults.clear();
    }

    // --- sync tokens ------------------------------------------------------------------------------

    /** That token (and the pages listed with it) now answers 410 fullSyncRequired; false if it is no token. */
    public boolean invalidateSyncToken(String token) {
        return service.invalidateSyncToken(token);
    }

    /** Every sync token issued so far for the calendar answers 410. */
    public void invalidateSyncTokens(String calendarId) {
        service.invalidateSyncTokens(service.resolveControlCalendarId(calendarId));
    }

    /** Every sync token issued before {@code instant}, on any calendar, answers 410. */
    public void invalidateSyncTokensIssuedBefore(Instant instant) {
        service.invalidateSyncTokensIssuedBefore(Objects.requireNonNull(instant));
    }

    /** The next {@code count} list calls answer an empty page that still has a nextPageToken. */
    public void injectEmptyPages(int count) {
        service.injectEmptyPages(count);
    }

    // --- push faults ------------------------------------------------------------------------------

    /** Notifications are sent {@code delay} late (zero restores prompt delivery); delayed ones may overtake others. */
    public void delayPush(Duration delay) {
        push.delay(delay);
    }

    /** The next {@code count} notifications are delivered twice, with the same message number. */
    public void duplicateNextPush(int count) {
        push.duplicateNext(count);
    }

    /** The next {@code count} notifications are never sent (their message numbers are used up). */
    public void dropNextPush(int count) {
        push.dropNext(count);
    }

    /** Channels stopped from now on still receive {@code count} more notifications each. */
    public void deliverAfterStop(int count) {
        push.deliverAfterStop(count);
    }

    public List<DeliveryAttempt> deliveryAttempts() {
        return push.attempts();
    }

    public List<DeliveryAttempt> deliveryAttempts(String channelId) {
        return push.attempts().stream().filter(a -> a.channelId().equals(channelId)).toList();
    }

    /**
     * Waits until the recorded delivery attempts satisfy {@code condition} (delivery is
     * asynchronous) and answers them; IllegalStateException after {@code timeout}.
     */
    public List<DeliveryAttempt> awaitDeliveryAttempts(Predicate<List<DeliveryAttempt>> condition, Duration timeout) {
        return push.awaitAttempts(condition, timeout);
    }

    public List<ChannelInfo> channels() {
        return channels.all().stream().map(Channel::info).toList();
    }

    // --- events -----------------------------------------------------------------------------------

    /** Another Google user edits the event in Google Calendar: new etag, maybe new sequence, a notification. */
    public JsonNode editAsUser(String calendarId, String eventId, ExternalEdit edit) {
        return translate(() -> service.editAsUser(service.resolveControlCalendarId(calendarId), eventId, edit));
    }

    /** Another Google user creates an event directly in Google Calendar (conferenceDataVersion 1). */
    public JsonNode insertAsUser(String calendarId, String actorEmail, JsonNode event) {
        if (!(event instanceof ObjectNode object)) {
            throw new IllegalArgumentException("event must be a JSON object");
        }
        return translate(() -> service.insertAsUser(service.resolveControlCalendarId(calendarId), actorEmail, object));
    }

    /** The stored event, cancelled ones included, as events.get would return it (without side effects). */
    public Optional<JsonNode> event(String calendarId, String eventId) {
        return service.event(service.resolveControlCalendarId(calendarId), eventId).map(JsonNode.class::cast);
    }

    /** All stored events of the calendar in insertion order, cancelled ones included. */
    public List<JsonNode> events(String calendarId) {
        return List.copyOf(service.events(service.resolveControlCalendarId(calendarId)));
    }

    /** Calendars that have been used ({@code primary} appears as its owner's email). */
    public List<String> calendarIds() {
        return service.calendarIds();
    }

    // --- conferences and switches -----------------------------------------------------------------

    /** The default answer to Meet createRequests. */
    public void setConferenceMode(ConferenceMode mode) {
        conferences.setDefault(Objects.requireNonNull(mode));
    }

    /** The answer on one calendar; null goes back to the default. */
    public void setConferenceMode(String calendarId, ConferenceMode mode) {
        conferences.setForCalendar(service.resolveControlCalendarId(calendarId), mode);
    }

    /** The answer to the next {@code count} createRequests on any calendar (before calendar and default modes). */
    public void setConferenceModeForNext(int count, ConferenceMode mode) {
        conferences.setForNext(count, Objects.requireNonNull(mode));
    }

    /** Service accounts without domain-wide delegation get 400 "Invalid conference type value." for Meet. */
    public void requireDelegationForMeet(boolean required) {
        switches.meetRequiresDelegation = required;
    }

    /** Service accounts without domain-wide delegation get 403 forbiddenForServiceAccounts for attendees. */
    public void requireDelegationForAttendees(boolean required) {
        switches.attendeesRequireDelegation = required;
    }

    /** Update/patch of a cancelled event answers 403 (default true). */
    public void forbidWritesToCancelledEvents(boolean forbid) {
        switches.forbidWritesToCancelledEvents = forbid;
    }

    /** Insert with a deleted event's id answers 409 (default true); false revives the event. */
    public void rejectReusedDeletedIds(boolean reject) {
        switches.rejectReusedDeletedIds = reject;
    }

    /** Lists show cancelled events as {kind, etag, id, status} only. */
    public void minimalTombstones(boolean minimal) {
        switches.minimalTombstones = minimal;
    }

    // --- received calls ---------------------------------------------------------------------------

    public List<ReceivedCall> calls() {
        return calls.all();
    }

    /** Calls with this effective method (null = any) whose path contains a match of {@code pathPattern}. */
    public List<ReceivedCall> calls(String method, String pathPattern) {
        Pattern pattern = Pattern.compile(pathPattern == null ? "" : pathPattern);
        return calls.all().stream()
                .filter(c -> method == null || c.method().equalsIgnoreCase(method))
                .filter(c -> pattern.matcher(c.path()).find())
                .toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    private static JsonNode translate(java.util.function.Supplier<ObjectNode> operation) {
        try {
            return operation.get();
        } catch (GoogleApiError e) {
            if (e.status() == 404) {
                throw new NoSuchElementException("No such event");
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
