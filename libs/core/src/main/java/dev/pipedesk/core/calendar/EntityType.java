package dev.pipedesk.core.calendar;

import dev.pipedesk.core.WireEnum;
import java.util.Optional;

/** The CRM entities an activity can belong to. */
public enum EntityType implements WireEnum {
    LEAD, DEAL, CONTACT;

    public static Optional<EntityType> parse(String raw) {
        return WireEnum.parse(EntityType.class, raw);
    }
}
