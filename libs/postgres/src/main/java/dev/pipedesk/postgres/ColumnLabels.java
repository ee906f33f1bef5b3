package dev.pipedesk.postgres;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The labels a table's columns carry in a result: the column names themselves, or prefixed (the
 * timeline's merged rows name each source's columns {@code a_id}, {@code e_id}, {@code m_id}, ...).
 * A prefixed label is made once and kept, so reading a row does not build (and hash) a new string
 * per column.
 */
final class ColumnLabels {
    /** The columns under their own names. */
    static final ColumnLabels UNPREFIXED = new ColumnLabels("");

    private final String prefix;
    private final ConcurrentHashMap<String, String> labels = new ConcurrentHashMap<>();

    ColumnLabels(String prefix) {
        this.prefix = prefix;
    }

    /** The label of {@code column}. */
    String of(String column) {
        return prefix.isEmpty() ? column : labels.computeIfAbsent(column, name -> prefix + name);
    }
}
