package dev.pipedesk.timeline;

import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Env;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The timeline Lambda, PipeDesk's read side: the audit-log API now, the unified timeline later.
 * {@code FunctionInvoker} starts this context and calls the {@code timelineApi} function with
 * each API Gateway payload 2.0 event (as the raw stream; see {@link ApiFunction}). Only the
 * function catalog is auto-configured; nothing is scanned.
 *
 * <p>It reads only the database variables ({@link DatabaseSettings}); in production these are
 * the function's own read-only credentials (SELECT on {@code audit_logs}); see the README.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class TimelineApplication {

    @Bean
    public ApiFunction timelineApi(Environment environment) {
        var repository = new AuditLogRepository(Databases.create(
                DatabaseSettings.fromEnv(Env.of(environment::getProperty, DatabaseSettings.VARIABLES))));
        return new ApiFunction(RoutePolicy.standard(), new TimelineRoutes(repository));
    }
}
