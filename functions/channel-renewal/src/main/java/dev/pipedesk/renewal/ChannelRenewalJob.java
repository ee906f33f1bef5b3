package dev.pipedesk.renewal;

import dev.pipedesk.lambda.ScheduledJob;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.RenewalReport;
import java.util.Objects;

/**
 * Keeps every synced calendar watched and synced ({@link ChannelManager#renewAll()}): a fresh live
 * channel per calendar (renewed new-first before it expires, orphans stopped), and a backstop
 * sync requested for calendars that are poll-only or have been quiet for
 * {@code SYNC_BACKSTOP_SECONDS}. Its summary lists what it did per calendar.
 */
public record ChannelRenewalJob(ChannelManager channels) implements ScheduledJob {

    public ChannelRenewalJob {
        Objects.requireNonNull(channels, "channels");
    }

    @Override
    public String name() {
        return "channel_renewal";
    }

    @Override
    public RenewalReport run() {
        return channels.renewAll();
    }
}
