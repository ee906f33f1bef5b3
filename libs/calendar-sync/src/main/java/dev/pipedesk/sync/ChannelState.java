package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonValue;

/** A watch channel's state as the API shows it. */
public enum ChannelState {
    ACTIVE("active"), STOPPED("stopped"), EXPIRED("expired");

    private final String wire;

    ChannelState(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
