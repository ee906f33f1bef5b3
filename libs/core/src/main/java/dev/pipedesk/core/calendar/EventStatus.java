package dev.pipedesk.core.calendar;

import java.util.Arrays;
import java.util.Optional;

/** Google's event status values. */
public enum EventStatus {
    CONFIRMED, TENTATIVE, CANCELLED;

    public String wire() {
        return name().toLowerCase();
    }

    public static Optional<EventStatus> parse(String raw) {
        return raw == null ? Optional.empty()
                : Arrays.stream(values()).filter(s -> s.wire().equals(raw.trim().toLowerCase())).findFirst();
    }
}
