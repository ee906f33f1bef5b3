package dev.pipedesk.timeline;

import dev.pipedesk.auth.RoutePolicy;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.ApiPriming;
import dev.pipedesk.http.RenderedJson;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.postgres.PoolSnapshots;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import java.time.OffsetDateTime;
import java.util.List;
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
 *
 * <p>SnapStart ({@link #snapStart}): primed with a request refused 401 and a timeline query refused
 * 422 before any read, and a page rendered; the pool is emptied before the snapshot and after a restore.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class TimelineApplication {

    @Bean
    public ApiFunction timelineApi(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, RateLimitSettings.VARIABLES,
                MetricsSettings.VARIABLES, SecretsSettings.VARIABLES);
        // DATABASE_SECRET_ARN: read when the first connection is opened, never while the context starts.
        HikariDataSource pool = Databases.create(DatabaseSettings.fromEnv(env), Secrets.fromEnv(env));
        TimelineRoutes routes = TimelineRoutes.on(pool);
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), routes, DynamoDbRateLimiter.fromEnv(env),
                EmfMetrics.fromEnv(env));
        SnapStartHooks.register(snapStart(function, routes, pool));
        return function;
    }

    /** The function's SnapStart hooks (docs/architecture.md, "SnapStart"). */
    static SnapStartResource snapStart(ApiFunction function, ApiHandler routes, HikariDataSource pool) {
        SnapStartResource.Builder resource = ApiPriming.prime(SnapStartResource.forFunction("timeline"), TimelineApplication.class,
                function, RoutePolicy.standard(), routes, TimelineApplication::representativePage);
        return new PoolSnapshots(pool).addTo(resource).build();
    }

    /** A page like the ones the timeline answers, with its entity tag: what an OK answer serialises. */
    private static TimelinePageView representativePage() {
        var details = Json.MAPPER.createObjectNode().put("action", "status_change").put("entity_type", "lead");
        TimelinePageView page = new TimelinePageView(List.of(new TimelineEntryView("audit:1", "audit",
                OffsetDateTime.parse("2026-03-01T12:00:00Z"), "Lead 42: status changed", details,
                new TimelineEntryView.User("user-1", "user-1@example.com"))),
                new TimelinePageView.Pagination(20, null, 1, true), List.of());
        RenderedJson.of(page).entityTag();
        return page;
    }
}
