package dev.pipedesk.core;

import java.util.Arrays;
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

    /** The constant of {@code type} whose wire value is {@code raw}, or empty (also for null). */
    static <E extends Enum<E> & WireEnum> Optional<E> parse(Class<E> type, String raw) {
        return raw == null ? Optional.empty()
                : Arrays.stream(type.getEnumConstants()).filter(e -> e.wire().equals(raw.trim().toLowerCase(Locale.ROOT))).findFirst();
    }
}
