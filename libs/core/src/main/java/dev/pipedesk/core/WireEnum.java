package dev.pipedesk.core;

import java.util.Locale;
import java.util.Optional;

/**
 * An enum whose JSON/database value is its lower-case name ({@code CONFIRMED} is {@code "confirmed"}),
 * read back ignoring case and surrounding blanks.
 */
public interface WireEnum {
    /** The constant's name; every enum has it. */
    String name();

    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} whose wire value is {@code raw}, or empty (also for null). One map
     * lookup: every row a repository reads parses a few of these.
     */
    static <E extends Enum<E> & WireEnum> Optional<E> parse(Class<E> type, String raw) {
        return raw == null ? Optional.empty()
                : Optional.ofNullable(type.cast(WireValues.OF.get(type).get(raw.trim().toLowerCase(Locale.ROOT))));
    }
}
