package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Env;
import dev.pipedesk.google.GoogleCalendar;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import dev.pipedesk.sync.UnwiredFeed;
import java.time.Clock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The calendar Lambda: {@code FunctionInvoker} starts this context and calls the
 * {@code calendarApi} function with each API Gateway payload 2.0 event (as the raw stream; see
 * {@link ApiFunction}). Only the function catalog is auto-configured; nothing is scanned. Every
 * request runs under the {@link AnswerBudget}'s deadline.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class CalendarApplication {

    @Bean
    public ApiFunction calendarApi(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, GoogleCalendarSettings.VARIABLES,
                AnswerBudget.VARIABLES, WritableCalendars.VARIABLES, AuditQueueSettings.VARIABLES, RateLimitSettings.VARIABLES,
                SyncSettings.VARIABLES, SyncQueueSettings.VARIABLES);
        var googleSettings = GoogleCalendarSettings.fromEnv(env);
        var budget = AnswerBudget.of(googleSettings, env);
        var pool = Databases.create(DatabaseSettings.fromEnv(env), budget.databaseConnect());
        var dataSource = new DeadlineBoundDataSource(pool, budget.databaseStatement(), Clock.systemUTC());
        GoogleCalendar google = GoogleCalendarGateway.create(googleSettings);
        var outbox = new AuditOutbox(dataSource, SqsOutboxSender.fromEnv(env), Clock.systemUTC());
        var service = new CalendarService(new PostgresEventStore(dataSource, outbox), google,
                WritableCalendars.fromEnv(env), Clock.systemUTC());
        // wired after merge: GoogleCalendarGateway implements GoogleCalendarFeed (then pass the gateway, drop UnwiredFeed)
        var channels = ChannelManager.fromEnv(env, dataSource, UnwiredFeed.of(google), Clock.systemUTC());
        return new ApiFunction(RoutePolicy.standard(),
                budget.appliedTo(new CalendarRoutes(service, channels), Clock.systemUTC()),
                DynamoDbRateLimiter.fromEnv(env));
    }
}
