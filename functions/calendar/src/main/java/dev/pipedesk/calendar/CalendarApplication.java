package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.auth.RoutePolicy;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.core.calendar.EventView;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.ApiPriming;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.postgres.PoolSnapshots;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.sync.CalendarIds;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The calendar Lambda (meetings, and the CRM's logged e-mails: it is the CRM activity writer):
 * {@code FunctionInvoker} starts this context and calls the
 * {@code calendarApi} function with each API Gateway payload 2.0 event (as the raw stream; see
 * {@link ApiFunction}). Only the function catalog is auto-configured; nothing is scanned. Every
 * request runs under the {@link AnswerBudget}'s deadline.
 *
 * <p>SnapStart ({@link #snapStart}): primed with a request refused 401 and a meeting refused 422 by
 * its validation (before the service: no database, no Google), and a meeting rendered; the pool is
 * emptied before the snapshot and after a restore.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class CalendarApplication {

    /** The least pool the calendar function runs with: see {@link #databaseSettings}. */
    static final int MIN_POOL_SIZE = 2;

    @Bean
    public ApiFunction calendarApi(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, GoogleCalendarSettings.VARIABLES,
                AnswerBudget.VARIABLES, WritableCalendars.VARIABLES, AuditQueueSettings.VARIABLES, RateLimitSettings.VARIABLES,
                SyncSettings.VARIABLES, SyncQueueSettings.VARIABLES, MetricsSettings.VARIABLES, SecretsSettings.VARIABLES);
        // Secret ARNs (database, Google key): read at first use, never while the context starts.
        var secrets = Secrets.fromEnv(env);
        var googleSettings = GoogleCalendarSettings.fromEnv(env);
        var budget = AnswerBudget.of(googleSettings, env);
        var pool = Databases.create(databaseSettings(env), budget.databaseConnect(), secrets);
        var dataSource = requestDataSource(pool, budget, Clock.systemUTC());
        var google = GoogleCalendarGateway.create(googleSettings, secrets);
        var outbox = new AuditOutbox(dataSource, SqsOutboxSender.fromEnv(env), Clock.systemUTC());
        CalendarIdResolver calendarIds = new CalendarIds(dataSource, google)::canonical;
        var service = new CalendarService(new PostgresEventStore(dataSource, outbox), google,
                WritableCalendars.fromEnv(env), calendarIds, Clock.systemUTC());
        var channels = ChannelManager.fromEnv(env, dataSource, google, Clock.systemUTC());
        ApiHandler routes = budget.appliedTo(new CalendarRoutes(service, channels,
                new EmailRoutes(new EmailService(dataSource, outbox, Clock.systemUTC()))), Clock.systemUTC());
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), routes, DynamoDbRateLimiter.fromEnv(env),
                EmfMetrics.fromEnv(env));
        SnapStartHooks.register(snapStart(function, routes, pool));
        return function;
    }

    /** The function's SnapStart hooks (docs/architecture.md, "SnapStart"). */
    static SnapStartResource snapStart(ApiFunction function, ApiHandler routes, HikariDataSource pool) {
        SnapStartResource.Builder resource = ApiPriming.prime(SnapStartResource.forFunction("calendar"), CalendarApplication.class,
                function, RoutePolicy.standard(), routes, CalendarApplication::representativeMeeting);
        return new PoolSnapshots(pool).addTo(resource).build();
    }

    /** A meeting as the API shows it, with its version: what an OK answer serialises. */
    private static EventView representativeMeeting() {
        Instant start = Instant.parse("2026-03-02T15:00:00Z");
        CalendarEvent meeting = new CalendarEvent("00000000-0000-4000-8000-000000000001", "snapstartpriming0000000000",
                "primary", "Pipeline review", "SnapStart priming", start, start.plusSeconds(3600),
                "https://meet.google.com/aaa-bbbb-ccc", ConferenceStatus.SUCCESS, "https://calendar.google.com/event",
                EventStatus.CONFIRMED, "sales@example.com", List.of(Attendee.invited("client@example.com")),
                EntityType.DEAL, "42", "snapstart-priming", null, null, "\"1\"", start, start, start);
        EventVersion.of(meeting);
        return EventView.of(meeting, false);
    }

    /**
     * The database settings, refusing a pool of fewer than {@link #MIN_POOL_SIZE} connections: a
     * request uses one at a time (a meeting write holds its lock and writes the mirror on one,
     * {@link PinnedConnections}), and the audit outbox's background publish needs another, so
     * that a slow audit queue never makes a request wait for a connection.
     */
    static DatabaseSettings databaseSettings(Env env) {
        DatabaseSettings settings = DatabaseSettings.fromEnv(env);
        if (settings.maxPoolSize() < MIN_POOL_SIZE) {
            throw new IllegalStateException(DatabaseSettings.Variable.DATABASE_POOL_SIZE + " must be at least "
                    + MIN_POOL_SIZE + " for the calendar function (one connection for the request, one for the "
                    + "background audit publish), but is " + settings.maxPoolSize());
        }
        return settings;
    }

    /**
     * The pool as requests use it: under each request's deadline ({@link DeadlineBoundDataSource}),
     * with a meeting write's connections pinned to one ({@link PinnedConnections}).
     */
    static DataSource requestDataSource(DataSource pool, AnswerBudget budget, Clock clock) {
        return new DeadlineBoundDataSource(new PinnedConnections(pool), budget.databaseStatement(), clock);
    }
}
