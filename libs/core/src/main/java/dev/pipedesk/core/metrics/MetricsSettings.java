package dev.pipedesk.core.metrics;

import dev.pipedesk.core.Env;
import java.util.List;

/**
 * Where operator metrics go: the value of their {@link OperatorMetric#STAGE_DIMENSION} dimension.
 *
 * @param stage the deployment stage's name ({@code PIPEDESK_STAGE}; {@code local} when unset)
 */
public record MetricsSettings(String stage) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { PIPEDESK_STAGE }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final String LOCAL_STAGE = "local";

    public static MetricsSettings fromEnv(Env env) {
        return new MetricsSettings(env.optional(Variable.PIPEDESK_STAGE.name()).orElse(LOCAL_STAGE));
    }
}
