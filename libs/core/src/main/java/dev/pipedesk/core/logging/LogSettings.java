package dev.pipedesk.core.logging;

import dev.pipedesk.core.Env;
import java.util.List;

/**
 * How a function writes its log lines: one JSON object per line when Lambda's log format is JSON
 * ({@code AWS_LAMBDA_LOG_FORMAT}, which Lambda sets from the function's logging configuration; the
 * CDK app chooses JSON), else the plain lines of the local stack and the tests.
 *
 * @param json whether each log line is a JSON object
 */
public record LogSettings(boolean json) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { AWS_LAMBDA_LOG_FORMAT }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    /** Lambda's value of {@code AWS_LAMBDA_LOG_FORMAT} for JSON logs ({@code Text} otherwise). */
    public static final String JSON = "JSON";

    public static LogSettings fromEnv(Env env) {
        return new LogSettings(env.optional(Variable.AWS_LAMBDA_LOG_FORMAT.name()).filter(JSON::equalsIgnoreCase)
                .isPresent());
    }
}
