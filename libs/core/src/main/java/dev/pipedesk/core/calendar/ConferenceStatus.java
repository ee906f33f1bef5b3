package dev.pipedesk.core.calendar;

import java.util.Arrays;
import java.util.Optional;

/** Where the Meet conference of an event stands: none asked, being created, created, failed. */
public enum ConferenceStatus {
    NONE, PENDING, SUCCESS, FAILURE;

    public String wire() {
        return name().toLowerCase();
    }

    public static Optional<ConferenceStatus> parse(String raw) {
        return raw == null ? Optional.empty()
                : Arrays.stream(values()).filter(s -> s.wire().equals(raw.trim().toLowerCase())).findFirst();
    }
}
