package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How a calendar is kept in sync. */
public enum SyncStatus {
    /** Push notifications and incremental sync. */
    SYNCING("syncing"),
    /** Google refuses push for this calendar: every scheduled run syncs it. */
    POLL_ONLY("poll_only"),
    /** The calendar cannot be synced (gone, no access, repeated 410s): see the failure reason. */
    FAILED("failed");

    private final String wire;

    SyncStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<SyncStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}
