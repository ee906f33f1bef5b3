package dev.pipedesk.postgres;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The WHERE clause of a listing, built from the filters that apply: their conditions joined with
 * {@code and}, their parameters in order. With no condition there is no clause at all.
 *
 * <pre>{@code
 * Where where = Where.none()
 *         .andIfPresent("entity_type = ?", query.entityType())
 *         .andIfPresent("occurred_at >= ?", query.occurredFrom());
 * Jdbc.count(connection, "select count(*) from audit_logs" + where.sql(), where.parameters());
 * }</pre>
 *
 * @param parameters the values of the conditions' placeholders, in order (never null: a filter
 *                   that is not set adds no condition)
 */
public record Where(List<String> conditions, List<Object> parameters) {
    private static final Where NONE = new Where(List.of(), List.of());

    public Where {
        conditions = List.copyOf(conditions);
        parameters = List.copyOf(parameters);
    }

    /** No condition: every row. */
    public static Where none() {
        return NONE;
    }

    /** This clause and one more condition with its parameters. */
    public Where and(String condition, Object... values) {
        List<String> moreConditions = new ArrayList<>(conditions);
        moreConditions.add(condition);
        List<Object> moreParameters = new ArrayList<>(parameters);
        moreParameters.addAll(Arrays.asList(values));
        return new Where(moreConditions, moreParameters);
    }

    /** {@link #and} when the filter's value is set; this clause unchanged when it is null. */
    public Where andIfPresent(String condition, Object value) {
        return value == null ? this : and(condition, value);
    }

    /** {@code " where a and b"}, or {@code ""} with no condition. */
    public String sql() {
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    /** The parameters, then those of what follows the clause (e.g. limit and offset). */
    public List<Object> parametersThen(Object... following) {
        List<Object> all = new ArrayList<>(parameters);
        Collections.addAll(all, following);
        return all;
    }
}
