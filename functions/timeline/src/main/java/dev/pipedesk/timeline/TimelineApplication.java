package dev.pipedesk.timeline;

import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The timeline Lambda, PipeDesk's read side: the audit-log API and the unified timeline.
 * {@code FunctionInvoker} starts this context and calls the {@code timelineApi} function with
 * each API Gateway payload 2.0 event (as the raw stream; see {@link ApiFunction}). Only the
 * function catalog is auto-configured; nothing is scanned.
 *
 * <p>It reads the database variables ({@link DatabaseSettings}; in production the function's own
 * read-only credentials, the {@code pipedesk_timeline_reader} role: SELECT on {@code audit_logs},
 * {@code calendar_events} and {@code crm_emails}; see the README) and the rate limit's
 * ({@link RateLimitSettings}).
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class TimelineApplication {

    @Bean
    public ApiFunction timelineApi(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, RateLimitSettings.VARIABLES,
                MetricsSettings.VARIABLES, SecretsSettings.VARIABLES);
        // DATABASE_SECRET_ARN: read when the first connection is opened, never while the context starts.
        DataSource database = Databases.create(DatabaseSettings.fromEnv(env), Secrets.fromEnv(env));
        return new ApiFunction(RoutePolicy.standard(), TimelineRoutes.on(database), DynamoDbRateLimiter.fromEnv(env),
                EmfMetrics.fromEnv(env));
    }
}
