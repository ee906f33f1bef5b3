package dev.pipedesk.audit;

import dev.pipedesk.core.Env;
import java.time.Duration;
import java.util.List;

/**
 * How the scheduled outbox relay runs.
 *
 * @param batchSize outbox rows per relay pass (one transaction)
 * @param budget    how long one scheduled run may keep starting passes
 */
public record OutboxRelaySettings(int batchSize, Duration budget) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { AUDIT_RELAY_BATCH_SIZE, AUDIT_RELAY_BUDGET_SECONDS }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final int DEFAULT_BATCH_SIZE = 50;
    public static final int DEFAULT_BUDGET_SECONDS = 20;

    /**
     * {@code AUDIT_RELAY_BATCH_SIZE} (default 50) and {@code AUDIT_RELAY_BUDGET_SECONDS}
     * (default 20), each at least 1.
     *
     * @throws IllegalStateException when a value is not a whole number of at least 1
     */
    public static OutboxRelaySettings fromEnv(Env env) {
        int batchSize = env.getInt(Variable.AUDIT_RELAY_BATCH_SIZE.name(), DEFAULT_BATCH_SIZE);
        int budgetSeconds = env.getInt(Variable.AUDIT_RELAY_BUDGET_SECONDS.name(), DEFAULT_BUDGET_SECONDS);
        if (batchSize < 1) {
            throw new IllegalStateException(Variable.AUDIT_RELAY_BATCH_SIZE + " must be at least 1, got " + batchSize);
        }
        if (budgetSeconds < 1) {
            throw new IllegalStateException(Variable.AUDIT_RELAY_BUDGET_SECONDS + " must be at least 1, got " + budgetSeconds);
        }
        return new OutboxRelaySettings(batchSize, Duration.ofSeconds(budgetSeconds));
    }
}
