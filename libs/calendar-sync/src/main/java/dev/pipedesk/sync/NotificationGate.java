package dev.pipedesk.sync;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.postgres.DatabaseException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifies a Google Calendar push notification against its stored channel and turns it into a
 * sync request (the webhook function's service; {@code docs/security.md}, "The Google webhook").
 * It only reads the channel, records the notification and enqueues: a sync never runs here, so
 * the webhook answers fast whatever a sync costs.
 * <ol>
 *   <li>Channel id or message number missing or not well-formed → {@link Verdict.Malformed}.</li>
 *   <li>Unknown channel → {@link Verdict.Ignored}: Google may send a channel's {@code sync}
 *       message before the watch answer has been stored, and notifications keep arriving for a
 *       while after a stop; a 2xx ends them without a retry.</li>
 *   <li>Known channel: the token must be there ({@link Verdict.Unauthenticated}) and its
 *       SHA-256 must equal the stored one, compared in constant time, and the resource id must
 *       be the channel's ({@link Verdict.Forbidden}). Each refusal writes one line to the
 *       {@value #SECURITY_LOG} log (channel id, source IP, what did not match; never the token).</li>
 *   <li>A stopped (or replaced) or expired channel → {@link Verdict.Ignored}.</li>
 *   <li>{@code sync} → {@link Verdict.Acknowledged}, with a first sync requested only when the
 *       calendar has no sync token yet.</li>
 *   <li>Any other state ({@code exists}, {@code not_exists}, unknown ones) → a sync request on
 *       the queue (group = calendar, de-duplication id = channel id + message number), then the
 *       notification is recorded → {@link Verdict.Enqueued}.</li>
 *   <li>The database or the queue failing → {@link Verdict.RetryLater}: Google retries a 5xx.
 *       Enqueueing before recording means a retried notification asks for nothing twice (SQS
 *       drops the repeat within its de-duplication window) and a failed one records nothing.</li>
 * </ol>
 */
public final class NotificationGate {
    /** The logger of security events (refused notifications). */
    public static final String SECURITY_LOG = "pipedesk.security";
    /** Google's channel ids are at most 64 characters. */
    static final int MAX_CHANNEL_ID_LENGTH = 64;
    private static final String SYNC_STATE = "sync";

    private static final Logger LOG = Logger.getLogger(NotificationGate.class.getName());
    private static final Logger SECURITY = Logger.getLogger(SECURITY_LOG);

    private final WatchChannelRepository channels;
    private final SyncStateRepository syncStates;
    private final SyncQueue queue;
    private final Clock clock;

    public NotificationGate(WatchChannelRepository channels, SyncStateRepository syncStates, SyncQueue queue,
                            Clock clock) {
        this.channels = Objects.requireNonNull(channels, "channels");
        this.syncStates = Objects.requireNonNull(syncStates, "syncStates");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Verdict admit(PushNotification notification) {
        Optional<String> malformed = malformation(notification);
        if (malformed.isPresent()) {
            LOG.info(() -> "webhook: malformed notification (" + malformed.get() + ") channel="
                    + shown(notification.channelId()) + " sourceIp=" + shown(notification.sourceIp()));
            return new Verdict.Malformed(malformed.get());
        }
        long messageNumber = Long.parseLong(notification.messageNumber());
        try {
            return admit(notification, messageNumber);
        } catch (DatabaseException e) {
            LOG.log(Level.WARNING, "webhook: database failure on channel " + shown(notification.channelId())
                    + " message " + messageNumber + ": answered 503 so that Google retries (SQLState " + e.sqlState() + ")");
            return new Verdict.RetryLater("database: " + e.getMessage());
        } catch (SyncQueueUnavailableException e) {
            LOG.log(Level.WARNING, "webhook: sync queue failure on channel " + shown(notification.channelId())
                    + " message " + messageNumber + ": answered 503 so that Google retries: " + e.getMessage());
            return new Verdict.RetryLater("queue: " + e.getMessage());
        }
    }

    private Verdict admit(PushNotification notification, long messageNumber) {
        Instant now = clock.instant();
        String state = notification.resourceState() == null ? "" : notification.resourceState().strip()
                .toLowerCase(Locale.ROOT);
        Optional<WatchChannel> found = channels.find(notification.channelId());
        if (found.isEmpty()) {
            return ignored(notification, state, messageNumber, "unknown channel");
        }
        WatchChannel channel = found.get();
        Optional<Verdict> refused = authenticate(channel, notification);
        if (refused.isPresent()) {
            return refused.get();
        }
        switch (channel.stateAt(now)) {
            case STOPPED -> {
                return ignored(notification, state, messageNumber, channel.replacedBy() == null ? "channel stopped"
                        : "channel replaced by " + channel.replacedBy());
            }
            case EXPIRED -> {
                return ignored(notification, state, messageNumber, "channel expired at " + channel.expiresAt());
            }
            case ACTIVE -> {
                // admitted below
            }
        }
        if (SYNC_STATE.equals(state)) {
            boolean hasToken = syncStates.find(channel.calendarId()).map(SyncState::syncToken).isPresent();
            if (hasToken) {
                LOG.info(() -> "webhook: sync message acknowledged channel=" + channel.id() + " calendar="
                        + channel.calendarId());
                return new Verdict.Acknowledged(null);
            }
            SyncRequest first = new SyncRequest(channel.calendarId(), SyncRequest.Reason.FIRST_SYNC, channel.id(),
                    messageNumber, now);
            queue.request(first);
            LOG.info(() -> "webhook: sync message acknowledged, first sync requested channel=" + channel.id()
                    + " calendar=" + channel.calendarId());
            return new Verdict.Acknowledged(first);
        }
        SyncRequest request = SyncRequest.notification(channel.calendarId(), channel.id(), messageNumber, now);
        queue.request(request);
        syncStates.recordNotification(channel.calendarId(), now);
        channels.recordMessage(channel.id(), messageNumber);
        LOG.info(() -> "webhook: sync requested channel=" + channel.id() + " calendar=" + channel.calendarId()
                + " state=" + shown(state) + " message=" + messageNumber);
        return new Verdict.Enqueued(request);
    }

    /** Token present and matching (constant time), resource id matching; else the refusal, logged. */
    private Optional<Verdict> authenticate(WatchChannel channel, PushNotification notification) {
        String token = notification.token();
        if (token == null || token.isEmpty()) {
            securityLog(401, channel, notification, "token missing");
            return Optional.of(new Verdict.Unauthenticated("token missing"));
        }
        if (!tokenMatches(channel, token)) {
            securityLog(403, channel, notification, "token mismatch");
            return Optional.of(new Verdict.Forbidden("token mismatch"));
        }
        // A channel stored without Google's resource id (never the case once the watch answered) is
        // authenticated by its token alone.
        if (channel.resourceId() != null && !channel.resourceId().equals(notification.resourceId())) {
            String what = notification.resourceId() == null ? "resource id missing"
                    : "resource id mismatch (got " + shown(notification.resourceId()) + ")";
            securityLog(403, channel, notification, what);
            return Optional.of(new Verdict.Forbidden(what));
        }
        return Optional.empty();
    }

    /** SHA-256 of the token against the stored digest, with {@link MessageDigest#isEqual} (constant time). */
    private static boolean tokenMatches(WatchChannel channel, String token) {
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(channel.tokenSha256());
        } catch (IllegalArgumentException e) {
            LOG.severe(() -> "webhook: the stored token hash of channel " + channel.id() + " is not hex");
            return false;
        }
        return MessageDigest.isEqual(Hashes.sha256(token), stored);
    }

    private Verdict ignored(PushNotification notification, String state, long messageNumber, String reason) {
        LOG.info(() -> "webhook: notification ignored (" + reason + ") channel=" + shown(notification.channelId())
                + " state=" + shown(state) + " message=" + messageNumber);
        return new Verdict.Ignored(reason);
    }

    private static void securityLog(int status, WatchChannel channel, PushNotification notification, String what) {
        SECURITY.warning(() -> "security: webhook notification refused status=" + status + " channel=" + channel.id()
                + " calendar=" + channel.calendarId() + " sourceIp=" + shown(notification.sourceIp())
                + " mismatch=" + what);
    }

    /** Why the notification cannot even be looked up, if so. */
    private static Optional<String> malformation(PushNotification notification) {
        String channelId = notification.channelId();
        if (channelId == null || channelId.isEmpty()) {
            return Optional.of("channel id missing");
        }
        if (channelId.length() > MAX_CHANNEL_ID_LENGTH || !channelId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.of("channel id malformed");
        }
        String number = notification.messageNumber();
        if (number == null || number.isEmpty()) {
            return Optional.of("message number missing");
        }
        if (!number.chars().allMatch(c -> c >= '0' && c <= '9') || number.length() > 18 || Long.parseLong(number) < 1) {
            return Optional.of("message number malformed");
        }
        return Optional.empty();
    }

    /** A caller's value as a log line may show it: at most 40 characters, control characters replaced. */
    private static String shown(String value) {
        return value == null ? "(none)" : ApiException.excerpt(value);
    }
}
