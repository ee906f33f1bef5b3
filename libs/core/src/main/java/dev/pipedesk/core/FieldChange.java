package dev.pipedesk.core;

import java.util.Objects;

/**
 * What a partial update (a PATCH) does to one field: keep it as it is (the field was absent),
 * clear it (JSON null), or set it to a value.
 *
 * @param <T> the field's type
 */
public sealed interface FieldChange<T> {

    /** The field was not in the request: it stays as it is. */
    record Keep<T>() implements FieldChange<T> {
    }

    /** The field was JSON null: it is removed. */
    record Clear<T>() implements FieldChange<T> {
    }

    /** The field gets this value (never null: a null is a {@link Clear}). */
    record Set<T>(T value) implements FieldChange<T> {
        public Set {
            Objects.requireNonNull(value, "value");
        }
    }

    static <T> FieldChange<T> keep() {
        return new Keep<>();
    }

    static <T> FieldChange<T> clear() {
        return new Clear<>();
    }

    static <T> FieldChange<T> set(T value) {
        return new Set<>(value);
    }

    /** The field's value once this change is applied to {@code current}. */
    default T applyTo(T current) {
        return switch (this) {
            case Keep<T> keep -> current;
            case Clear<T> clear -> null;
            case Set<T>(T value) -> value;
        };
    }

    /** Whether this change leaves {@code current} as it is (kept, or set or cleared to what it is already). */
    default boolean leaves(T current) {
        return Objects.equals(applyTo(current), current);
    }
}
