package dev.pipedesk.lambda.logging;

import dev.pipedesk.core.Env;
import dev.pipedesk.core.logging.LogSettings;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses a function's log format before Spring Boot's logging starts: when Lambda's log format is
 * JSON ({@link LogSettings}), the console lines are {@link LambdaJsonLogFormatter}'s JSON
 * ({@code logging.structured.format.console}); otherwise — the local stack, the tests — nothing
 * changes and the lines stay plain. Registered in {@code META-INF/spring.factories}.
 */
public final class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor {
    static final String PROPERTY_SOURCE = "pipedeskLogFormat";
    static final String CONSOLE_FORMAT = "logging.structured.format.console";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        LogSettings settings = LogSettings.fromEnv(Env.of(environment::getProperty, LogSettings.VARIABLES));
        environment.getPropertySources().remove(PROPERTY_SOURCE);
        if (settings.json()) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
                    Map.of(CONSOLE_FORMAT, LambdaJsonLogFormatter.class.getName())));
        }
    }
}
