package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a renewal run did about a calendar's watch channel. */
public enum ChannelAction {
    /** Its live channel is good for longer than the renewal margin: nothing to do. */
    KEPT("kept"),
    /** It had no live channel: one was opened. */
    CREATED("created"),
    /** Its channel was about to expire: a new one was opened, then the old one stopped. */
    RENEWED("renewed"),
    /** Google does not support push for it: no channel, every run requests a sync instead. */
    POLL_ONLY("poll_only"),
    /** No channel could be opened (see the failure reason); its live channel, if any, stays. */
    FAILED("failed"),
    /** {@code WEBHOOK_BASE_URL} is not set: no channel can be opened; the backstop still runs. */
    NO_WEBHOOK("no_webhook");

    private final String wire;

    ChannelAction(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
