package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Env;
import dev.pipedesk.google.ChangePage;
import dev.pipedesk.google.GoogleCalendar;
import dev.pipedesk.google.GoogleCalendarException;
import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.CalendarIds;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SqsSyncQueue;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;
import javax.sql.DataSource;
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
        var channels = channelManager(env, dataSource, feedOf(google));
        return new ApiFunction(RoutePolicy.standard(),
                budget.appliedTo(new CalendarRoutes(service, channels), Clock.systemUTC()),
                DynamoDbRateLimiter.fromEnv(env));
    }

    /** The watch channels of {@code GOOGLE_SYNC_CALENDARS}; first syncs go to the sync queue. */
    static ChannelManager channelManager(Env env, DataSource dataSource, GoogleCalendarFeed feed) {
        return new ChannelManager(dataSource, feed, new CalendarIds(dataSource, feed),
                SqsSyncQueue.create(SyncQueueSettings.fromEnv(env)), SyncSettings.fromEnv(env), Clock.systemUTC());
    }

    /** The gateway as the sync's feed (watch, stop, calendar ids). */
    private static GoogleCalendarFeed feedOf(GoogleCalendar google) {
        // wired after merge: GoogleCalendarGateway implements GoogleCalendarFeed
        return google instanceof GoogleCalendarFeed feed ? feed : UnwiredFeed.INSTANCE;
    }

    /** Until the gateway is a feed: every call fails as Google being unreachable would (502 on the channel routes). */
    private enum UnwiredFeed implements GoogleCalendarFeed {
        INSTANCE;

        private static GoogleCalendarException unwired() {
            return new GoogleCalendarException.Unavailable(0, "notWired",
                    "This build's Google Calendar gateway cannot watch calendars", null, false);
        }

        @Override
        public String canonicalId(String calendarId) {
            if (!"primary".equals(calendarId)) {
                return calendarId;
            }
            throw unwired();
        }

        @Override
        public ChangePage listPage(String calendarId, String syncToken, String pageToken) {
            throw unwired();
        }

        @Override
        public WatchedChannel watch(String calendarId, WatchRequest request) {
            throw unwired();
        }

        @Override
        public void stop(String channelId, String resourceId) {
            throw unwired();
        }
    }
}
