package dev.pipedesk.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A statement's SQL and its parameters, in order (a value may be null). */
public record SqlStatement(String sql, List<Object> parameters) {
    public SqlStatement {
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    }
}
