package dev.pipedesk.core.calendar;

import dev.pipedesk.core.WireEnum;
import java.util.Optional;

/** Where the Meet conference of an event stands: none asked, being created, created, failed. */
public enum ConferenceStatus implements WireEnum {
    NONE, PENDING, SUCCESS, FAILURE;

    public static Optional<ConferenceStatus> parse(String raw) {
        return WireEnum.parse(ConferenceStatus.class, raw);
    }
}
