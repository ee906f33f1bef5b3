package dev.pipedesk.core;

import java.util.Objects;
import java.util.function.Function;

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

    /** The same change to the value mapped with {@code mapping}. */
    default <R> FieldChange<R> map(Function<? super T, ? extends R> mapping) {
        return switch (this) {
            case Keep<T> keep -> keep();
            case Clear<T> clear -> clear();
            case Set<T>(T value) -> set(mapping.apply(value));
        };
    }

    /** This change, or {@link Keep} when it would leave {@code current} as it is. */
    default FieldChange<T> comparedWith(T current) {
        return leaves(current) ? keep() : this;
    }

    /** Whether this change leaves {@code current} as it is (kept, or set or cleared to what it is already). */
    default boolean leaves(T current) {
        return Objects.equals(applyTo(current), current);
    }
}
