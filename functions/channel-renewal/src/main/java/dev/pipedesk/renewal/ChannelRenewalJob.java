package dev.pipedesk.renewal;

import dev.pipedesk.core.metrics.Metrics;
import dev.pipedesk.core.metrics.OperatorMetric;
import dev.pipedesk.lambda.ScheduledJob;
import dev.pipedesk.sync.CalendarRenewal;
import dev.pipedesk.sync.ChannelAction;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.RenewalReport;
import dev.pipedesk.sync.SyncStatus;
import java.util.Objects;

/**
 * Keeps every synced calendar watched and synced ({@link ChannelManager#renewAll()}): a fresh live
 * channel per calendar (renewed new-first before it expires, orphans stopped), and a backstop
 * sync requested for calendars that are poll-only or have been quiet for
 * {@code SYNC_BACKSTOP_SECONDS}. Its summary lists what it did per calendar.
 *
 * <p>From that report, each run records the operator metrics of the renewal:
 * {@link OperatorMetric#CHANNELS_RENEWED} (calendars whose expiring channel was replaced),
 * {@link OperatorMetric#CHANNEL_RENEWALS_FAILED} (calendars left {@code failed} by the run), and
 * two levels seen now: {@link OperatorMetric#CALENDARS_SYNC_FAILED} (calendars whose sync state is
 * {@code failed} after the run) and {@link OperatorMetric#CHANNELS_EXPIRING_WITHOUT_SUCCESSOR}
 * (calendars whose live channel is inside its renewal window — it was not kept as fresh — and for
 * which no new channel could be opened).
 */
public record ChannelRenewalJob(ChannelManager channels, Metrics metrics) implements ScheduledJob {

    public ChannelRenewalJob {
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(metrics, "metrics");
    }

    public ChannelRenewalJob(ChannelManager channels) {
        this(channels, Metrics.NONE);
    }

    @Override
    public String name() {
        return "channel_renewal";
    }

    @Override
    public RenewalReport run() {
        RenewalReport report = channels.renewAll();
        record(report, metrics);
        return report;
    }

    /** The run's operator metrics, all of them recorded (0 included) so that every run reports. */
    static void record(RenewalReport report, Metrics metrics) {
        metrics.count(OperatorMetric.CHANNELS_RENEWED, count(report, c -> c.channel() == ChannelAction.RENEWED));
        metrics.count(OperatorMetric.CHANNEL_RENEWALS_FAILED, count(report, c -> c.channel() == ChannelAction.FAILED));
        metrics.gauge(OperatorMetric.CALENDARS_SYNC_FAILED, count(report, c -> c.state() == SyncStatus.FAILED));
        metrics.gauge(OperatorMetric.CHANNELS_EXPIRING_WITHOUT_SUCCESSOR,
                count(report, c -> c.channel() == ChannelAction.FAILED && c.channelId() != null));
    }

    private static long count(RenewalReport report, java.util.function.Predicate<CalendarRenewal> which) {
        return report.calendars().stream().filter(which).count();
    }
}
