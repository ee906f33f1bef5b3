package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Env;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Start-up options of the emulator. The switches (conference mode, service-account rules,
 * cancelled-event rules) can also be changed at run time through {@link EmulatorControl}.
 *
 * @param port                          TCP port on 127.0.0.1; 0 picks a free one
 * @param allowHttpWebhooks             accept {@code http:} channel addresses (tests, local stack);
 *                                      Google requires HTTPS
 * @param maxChannelTtl                 channel lifetimes are clamped to this (Google publishes no maximum)
 * @param conferenceMode                default answer to a Meet createRequest
 * @param meetRequiresDelegation        a service account without domain-wide delegation asking for
 *                                      Meet gets 400 "Invalid conference type value."
 * @param attendeesRequireDelegation    a service account without domain-wide delegation writing
 *                                      attendees gets 403 forbiddenForServiceAccounts
 * @param forbidWritesToCancelledEvents update/patch of a cancelled event answers 403 (unless the
 *                                      write restores it with a non-cancelled status)
 * @param rejectReusedDeletedIds        insert with the id of a deleted event answers 409 duplicate;
 *                                      when false the insert revives the event
 * @param acceptOnlyIssuedTokens        answer 401 to bearer tokens this emulator did not issue
 * @param requireAuthorization          answer 401 "Login Required" to calls without a bearer token
 * @param minimalTombstones             lists show cancelled events as {kind, etag, id, status} only
 *                                      (like a non-organizer copy) instead of with all details
 * @param pushInitialBackoff            first retry delay after a 5xx from a push receiver (doubles)
 * @param pushMaxAttempts               attempts per push message, including the first
 */
public record EmulatorOptions(
        int port,
        boolean allowHttpWebhooks,
        Duration maxChannelTtl,
        ConferenceMode conferenceMode,
        boolean meetRequiresDelegation,
        boolean attendeesRequireDelegation,
        boolean forbidWritesToCancelledEvents,
        boolean rejectReusedDeletedIds,
        boolean acceptOnlyIssuedTokens,
        boolean requireAuthorization,
        boolean minimalTombstones,
        Duration pushInitialBackoff,
        int pushMaxAttempts) {

    public EmulatorOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Objects.requireNonNull(maxChannelTtl, "maxChannelTtl");
        Objects.requireNonNull(conferenceMode, "conferenceMode");
        Objects.requireNonNull(pushInitialBackoff, "pushInitialBackoff");
        if (maxChannelTtl.isNegative() || maxChannelTtl.isZero()) {
            throw new IllegalArgumentException("maxChannelTtl must be positive");
        }
        if (pushMaxAttempts < 1) {
            throw new IllegalArgumentException("pushMaxAttempts must be >= 1");
        }
    }

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable {
        PORT, ALLOW_HTTP_WEBHOOKS, MAX_CHANNEL_TTL_SECONDS, CONFERENCE_MODE, CONFERENCE_PENDING_READS, MEET_REQUIRES_DWD,
        ATTENDEES_REQUIRE_DWD, ACCEPT_ONLY_ISSUED_TOKENS
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    /** Port 0, HTTPS-only webhooks, 7-day channel maximum, Meet succeeds at once, Google's rules. */
    public static EmulatorOptions defaults() {
        return new EmulatorOptions(0, false, Duration.ofDays(7), ConferenceMode.success(),
                false, false, true, true, false, true, false, Duration.ofMillis(200), 5);
    }

    /**
     * Options from environment-style variables: {@code PORT}, {@code ALLOW_HTTP_WEBHOOKS},
     * {@code MAX_CHANNEL_TTL_SECONDS}, {@code CONFERENCE_MODE} (success|pending|failure),
     * {@code CONFERENCE_PENDING_READS}, {@code MEET_REQUIRES_DWD}, {@code ATTENDEES_REQUIRE_DWD},
     * {@code ACCEPT_ONLY_ISSUED_TOKENS}; anything unset keeps its default.
     */
    public static EmulatorOptions fromEnv(Env env) {
        EmulatorOptions d = defaults();
        return new EmulatorOptions(
                env.getInt(Variable.PORT.name(), d.port()),
                env.getBoolean(Variable.ALLOW_HTTP_WEBHOOKS.name(), d.allowHttpWebhooks()),
                Duration.ofSeconds(env.getInt(Variable.MAX_CHANNEL_TTL_SECONDS.name(), (int) d.maxChannelTtl().toSeconds())),
                ConferenceMode.parse(env.get(Variable.CONFERENCE_MODE.name(), "success"),
                        env.getInt(Variable.CONFERENCE_PENDING_READS.name(), 1)),
                env.getBoolean(Variable.MEET_REQUIRES_DWD.name(), d.meetRequiresDelegation()),
                env.getBoolean(Variable.ATTENDEES_REQUIRE_DWD.name(), d.attendeesRequireDelegation()),
                d.forbidWritesToCancelledEvents(),
                d.rejectReusedDeletedIds(),
                env.getBoolean(Variable.ACCEPT_ONLY_ISSUED_TOKENS.name(), d.acceptOnlyIssuedTokens()),
                d.requireAuthorization(),
                d.minimalTombstones(),
                d.pushInitialBackoff(),
                d.pushMaxAttempts());
    }

    public EmulatorOptions withPort(int port) {
        return with(b -> b.port = port);
    }

    public EmulatorOptions withAllowHttpWebhooks(boolean allow) {
        return with(b -> b.allowHttpWebhooks = allow);
    }

    public EmulatorOptions withMaxChannelTtl(Duration ttl) {
        return with(b -> b.maxChannelTtl = ttl);
    }

    public EmulatorOptions withConferenceMode(ConferenceMode mode) {
        return with(b -> b.conferenceMode = mode);
    }

    /** Both service-account rules at once: Meet and attendees need domain-wide delegation. */
    public EmulatorOptions withServiceAccountRules(boolean meetRequiresDwd, boolean attendeesRequireDwd) {
        return with(b -> {
            b.meetRequiresDelegation = meetRequiresDwd;
            b.attendeesRequireDelegation = attendeesRequireDwd;
        });
    }

    public EmulatorOptions withForbidWritesToCancelledEvents(boolean forbid) {
        return with(b -> b.forbidWritesToCancelledEvents = forbid);
    }

    public EmulatorOptions withRejectReusedDeletedIds(boolean reject) {
        return with(b -> b.rejectReusedDeletedIds = reject);
    }

    public EmulatorOptions withAcceptOnlyIssuedTokens(boolean only) {
        return with(b -> b.acceptOnlyIssuedTokens = only);
    }

    public EmulatorOptions withRequireAuthorization(boolean require) {
        return with(b -> b.requireAuthorization = require);
    }

    public EmulatorOptions withMinimalTombstones(boolean minimal) {
        return with(b -> b.minimalTombstones = minimal);
    }

    public EmulatorOptions withPushRetry(Duration initialBackoff, int maxAttempts) {
        return with(b -> {
            b.pushInitialBackoff = initialBackoff;
            b.pushMaxAttempts = maxAttempts;
        });
    }

    /** A copy of these options with {@code change} applied (validated like any new options). */
    private EmulatorOptions with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The mutable working copy behind the {@code with...} methods. */
    private static final class Copy {
        int port;
        boolean allowHttpWebhooks;
        Duration maxChannelTtl;
        ConferenceMode conferenceMode;
        boolean meetRequiresDelegation;
        boolean attendeesRequireDelegation;
        boolean forbidWritesToCancelledEvents;
        boolean rejectReusedDeletedIds;
        boolean acceptOnlyIssuedTokens;
        boolean requireAuthorization;
        boolean minimalTombstones;
        Duration pushInitialBackoff;
        int pushMaxAttempts;

        Copy(EmulatorOptions o) {
            port = o.port;
            allowHttpWebhooks = o.allowHttpWebhooks;
            maxChannelTtl = o.maxChannelTtl;
            conferenceMode = o.conferenceMode;
            meetRequiresDelegation = o.meetRequiresDelegation;
            attendeesRequireDelegation = o.attendeesRequireDelegation;
            forbidWritesToCancelledEvents = o.forbidWritesToCancelledEvents;
            rejectReusedDeletedIds = o.rejectReusedDeletedIds;
            acceptOnlyIssuedTokens = o.acceptOnlyIssuedTokens;
            requireAuthorization = o.requireAuthorization;
            minimalTombstones = o.minimalTombstones;
            pushInitialBackoff = o.pushInitialBackoff;
            pushMaxAttempts = o.pushMaxAttempts;
        }

        EmulatorOptions build() {
            return new EmulatorOptions(port, allowHttpWebhooks, maxChannelTtl, conferenceMode, meetRequiresDelegation,
                    attendeesRequireDelegation, forbidWritesToCancelledEvents, rejectReusedDeletedIds,
                    acceptOnlyIssuedTokens, requireAuthorization, minimalTombstones, pushInitialBackoff,
                    pushMaxAttempts);
        }
    }
}
