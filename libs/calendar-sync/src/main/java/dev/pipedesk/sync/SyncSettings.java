package dev.pipedesk.sync;

import dev.pipedesk.core.Env;
import dev.pipedesk.google.WritableCalendars;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How Google Calendar sync runs.
 *
 * @param calendars        the calendars to keep in sync, as configured ({@code primary} is resolved
 *                         to the calendar's own id before it is stored)
 * @param webhookBaseUrl   the API's public base URL; channels post to it + {@link #WEBHOOK_PATH};
 *                         null when unset (no channel can then be created)
 * @param channelTtl       the channel lifetime asked of Google (it may clamp it)
 * @param renewBefore      a channel expiring within this gets its successor
 * @param backstopInterval a calendar with no notification and no sync for this long is synced by the scheduled run
 * @param maxFullSyncsInARow 410s answered by a full resync before the calendar is marked failed
 */
public record SyncSettings(Set<String> calendars, URI webhookBaseUrl, Duration channelTtl, Duration renewBefore,
                           Duration backstopInterval, int maxFullSyncsInARow) {

    /** Where Google posts notifications, under {@link #webhookBaseUrl}. */
    public static final String WEBHOOK_PATH = "/webhooks/google-calendar";

    /** The environment variables {@link #fromEnv} reads (with {@link WritableCalendars#VARIABLES} for the default list). */
    public enum Variable {
        GOOGLE_SYNC_CALENDARS, WEBHOOK_BASE_URL, CHANNEL_TTL_SECONDS, CHANNEL_RENEW_BEFORE_SECONDS,
        SYNC_BACKSTOP_SECONDS, SYNC_MAX_FULL_SYNCS_IN_A_ROW
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public SyncSettings {
        calendars = Set.copyOf(calendars);
        Objects.requireNonNull(channelTtl, "channelTtl");
        Objects.requireNonNull(renewBefore, "renewBefore");
        Objects.requireNonNull(backstopInterval, "backstopInterval");
        if (maxFullSyncsInARow < 1) {
            throw new IllegalArgumentException("maxFullSyncsInARow must be >= 1");
        }
    }

    /**
     * {@code GOOGLE_SYNC_CALENDARS} (comma list; default: the writable calendars,
     * {@code GOOGLE_CALENDARS} / {@code GOOGLE_DEFAULT_CALENDAR}), {@code WEBHOOK_BASE_URL},
     * {@code CHANNEL_TTL_SECONDS} (604800), {@code CHANNEL_RENEW_BEFORE_SECONDS} (86400),
     * {@code SYNC_BACKSTOP_SECONDS} (600), {@code SYNC_MAX_FULL_SYNCS_IN_A_ROW} (3).
     */
    public static SyncSettings fromEnv(Env env) {
        Set<String> calendars = new LinkedHashSet<>();
        env.optional(Variable.GOOGLE_SYNC_CALENDARS.name()).ifPresent(list -> Arrays.stream(list.split(","))
                .map(String::strip).filter(id -> !id.isEmpty()).forEach(calendars::add));
        if (calendars.isEmpty()) {
            calendars.addAll(WritableCalendars.fromEnv(env).writable());
        }
        URI base = env.optional(Variable.WEBHOOK_BASE_URL.name()).map(SyncSettings::baseUrl).orElse(null);
        return new SyncSettings(calendars, base,
                Duration.ofSeconds(env.getInt(Variable.CHANNEL_TTL_SECONDS.name(), 604_800)),
                Duration.ofSeconds(env.getInt(Variable.CHANNEL_RENEW_BEFORE_SECONDS.name(), 86_400)),
                Duration.ofSeconds(env.getInt(Variable.SYNC_BACKSTOP_SECONDS.name(), 600)),
                env.getInt(Variable.SYNC_MAX_FULL_SYNCS_IN_A_ROW.name(), 3));
    }

    private static URI baseUrl(String value) {
        String trimmed = value.strip();
        URI uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalStateException(Variable.WEBHOOK_BASE_URL + " must be an absolute URL, got " + value);
        }
        return uri;
    }

    /** The address channels are opened with, or null when {@code WEBHOOK_BASE_URL} is unset. */
    public String webhookAddress() {
        return webhookBaseUrl == null ? null : webhookBaseUrl + WEBHOOK_PATH;
    }
}
