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

/**
 * The timeline Lambda, PipeDesk's read side: the audit-log API now, the unified timeline later.
 * {@code FunctionInvoker} starts this context and calls the {@code timelineApi} function with
 * each API Gateway payload 2.0 event (as the raw stream; see {@link ApiFunction}). Only the
 * function catalog is auto-configured; nothing is scanned.
 *
 * <p>Database: {@code DATABASE_URL}, {@code DATABASE_USER}, {@code DATABASE_PASSWORD},
 * {@code DATABASE_POOL_SIZE} (see {@link DatabaseSettings}). In production these are the
 * function's own read-only credentials (SELECT on {@code audit_logs}); see the README.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class TimelineApplication {

    @Bean
    public ApiFunction timelineApi() {
        var dataSource = Databases.create(DatabaseSettings.fromEnv(Env.system()));
        return new ApiFunction(RoutePolicy.standard(), new TimelineRoutes(new AuditLogRepository(dataSource)));
    }
}
