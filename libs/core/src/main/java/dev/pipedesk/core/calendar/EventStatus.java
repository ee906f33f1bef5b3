package dev.pipedesk.core.calendar;

import dev.pipedesk.core.WireEnum;
import java.util.Optional;

/** Google's event status values. */
public enum EventStatus implements WireEnum {
    CONFIRMED, TENTATIVE, CANCELLED;

    public static Optional<EventStatus> parse(String raw) {
        return WireEnum.parse(EventStatus.class, raw);
    }
}
