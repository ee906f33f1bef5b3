package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.bench.BareHandler;
import dev.pipedesk.core.Env;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.CalendarIds;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;

/**
 * The calendar function without Spring: what {@code CalendarApplication} builds, with constructors (bench
 * only; its pool-size check left out, the benchmark's environment passes it).
 */
public final class BareCalendarHandler extends BareHandler {
    public BareCalendarHandler() {
        super(build(Env.of(System::getenv, DatabaseSettings.VARIABLES, GoogleCalendarSettings.VARIABLES,
                AnswerBudget.VARIABLES, WritableCalendars.VARIABLES, AuditQueueSettings.VARIABLES, RateLimitSettings.VARIABLES,
                SyncSettings.VARIABLES, SyncQueueSettings.VARIABLES)));
    }

    private static ApiFunction build(Env env) {
        Clock clock = Clock.systemUTC();
        var googleSettings = GoogleCalendarSettings.fromEnv(env);
        var budget = AnswerBudget.of(googleSettings, env);
        var pool = Databases.create(DatabaseSettings.fromEnv(env), budget.databaseConnect());
        var dataSource = new DeadlineBoundDataSource(new PinnedConnections(pool), budget.databaseStatement(), clock);
        var google = GoogleCalendarGateway.create(googleSettings);
        var outbox = new AuditOutbox(dataSource, SqsOutboxSender.fromEnv(env), clock);
        CalendarIdResolver calendarIds = new CalendarIds(dataSource, google)::canonical;
        var service = new CalendarService(new PostgresEventStore(dataSource, outbox), google, WritableCalendars.fromEnv(env),
                calendarIds, clock);
        var channels = ChannelManager.fromEnv(env, dataSource, google, clock);
        return new ApiFunction(RoutePolicy.standard(), budget.appliedTo(new CalendarRoutes(service, channels,
                new EmailRoutes(new EmailService(dataSource, outbox, clock))), clock), DynamoDbRateLimiter.fromEnv(env));
    }
}
