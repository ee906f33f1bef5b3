package dev.pipedesk.core.calendar;

import java.util.Arrays;
import java.util.Optional;

/** The CRM entities an activity can belong to. */
public enum EntityType {
    LEAD, DEAL, CONTACT;

    public String wire() {
        return name().toLowerCase();
    }

    public static Optional<EntityType> parse(String raw) {
        return raw == null ? Optional.empty()
                : Arrays.stream(values()).filter(t -> t.wire().equals(raw.trim().toLowerCase())).findFirst();
    }
}
