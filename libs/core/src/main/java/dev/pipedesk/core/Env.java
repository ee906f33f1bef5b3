package dev.pipedesk.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Configuration from environment variables (or a map standing in for them in tests). Each
 * settings record owns the names it reads (its {@code Variable} enum and {@code VARIABLES} list);
 * a component reads exactly those, with {@link #of}.
 */
public record Env(Map<String, String> values) {

    public Env {
        values = Map.copyOf(values);
    }

    /**
     * The named variables as {@code lookup} finds them; names it returns {@code null} for are left
     * out. A function passes its Spring {@code environment::getProperty} (environment variables,
     * or in tests system properties of the same name), the local stack {@code System::getenv}.
     *
     * @param names the settings' {@code VARIABLES} lists
     */
    @SafeVarargs
    public static Env of(Function<String, String> lookup, Collection<String>... names) {
        Map<String, String> values = new HashMap<>();
        for (Collection<String> list : names) {
            for (String name : list) {
                String value = lookup.apply(name);
                if (value != null) {
                    values.put(name, value);
                }
            }
        }
        return new Env(values);
    }

    /**
     * The names of a settings record's {@code Variable} enum, whose constants are named exactly as
     * the environment variables they stand for.
     */
    public static List<String> names(Enum<?>[] variables) {
        return Arrays.stream(variables).map(Enum::name).toList();
    }

    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String get(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException(
                "Missing required environment variable " + name));
    }

    public int getInt(String name, int fallback) {
        return optional(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Environment variable " + name + " must be an integer, got " + v);
            }
        }).orElse(fallback);
    }

    public boolean getBoolean(String name, boolean fallback) {
        return optional(name).map(Boolean::parseBoolean).orElse(fallback);
    }
}
