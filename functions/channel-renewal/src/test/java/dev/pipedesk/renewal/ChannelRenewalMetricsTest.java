package dev.pipedesk.renewal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.OperatorMetric;
import dev.pipedesk.sync.CalendarRenewal;
import dev.pipedesk.sync.ChannelAction;
import dev.pipedesk.sync.RenewalReport;
import dev.pipedesk.sync.SyncStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator metrics a renewal run records from its report. */
class ChannelRenewalMetricsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final EmfMetrics metrics = new EmfMetrics("test", line -> { }, Clock.systemUTC());

    private static CalendarRenewal calendar(String id, ChannelAction action, String liveChannel, SyncStatus state) {
        return new CalendarRenewal(id, action, liveChannel, liveChannel == null ? null : NOW.plusSeconds(600),
                action == ChannelAction.FAILED ? "events.watch: 500" : null, List.of(), List.of(), null, null, state);
    }

    @Test
    void countsRenewalsAndFailuresAndSeesFailedCalendarsAndExpiringChannelsWithoutSuccessor() {
        RenewalReport report = new RenewalReport(NOW, "https://api.example/webhooks/google-calendar", List.of(
                calendar("kept", ChannelAction.KEPT, "c-1", SyncStatus.SYNCING),
                calendar("renewed-1", ChannelAction.RENEWED, "c-2", SyncStatus.SYNCING),
                calendar("renewed-2", ChannelAction.RENEWED, "c-3", SyncStatus.SYNCING),
                calendar("created", ChannelAction.CREATED, "c-4", SyncStatus.SYNCING),
                calendar("watch-failed-with-old-channel", ChannelAction.FAILED, "c-5", SyncStatus.SYNCING),
                calendar("unreachable", ChannelAction.FAILED, null, SyncStatus.FAILED),
                calendar("poll-only", ChannelAction.POLL_ONLY, null, SyncStatus.POLL_ONLY)), List.of());

        ChannelRenewalJob.record(report, metrics);

        assertThat(metrics.recorded()).isEqualTo(Map.of(
                OperatorMetric.CHANNELS_RENEWED, 2L,
                OperatorMetric.CHANNEL_RENEWALS_FAILED, 2L,
                OperatorMetric.CALENDARS_SYNC_FAILED, 1L,
                OperatorMetric.CHANNELS_EXPIRING_WITHOUT_SUCCESSOR, 1L));
    }

    @Test
    void aQuietRunReportsZerosSoThatEveryRunHasDataPoints() {
        ChannelRenewalJob.record(new RenewalReport(NOW, null, List.of(), List.of()), metrics);

        assertThat(metrics.recorded()).isEqualTo(Map.of(
                OperatorMetric.CHANNELS_RENEWED, 0L,
                OperatorMetric.CHANNEL_RENEWALS_FAILED, 0L,
                OperatorMetric.CALENDARS_SYNC_FAILED, 0L,
                OperatorMetric.CHANNELS_EXPIRING_WITHOUT_SUCCESSOR, 0L));
    }
}
