package dev.pipedesk.renewal;

import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.OutboxRelay;
import dev.pipedesk.audit.OutboxRelaySettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.bench.BareHandler;
import dev.pipedesk.core.Env;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.lambda.ScheduledShell;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;
import java.util.List;

/** Channel-renewal without Spring: what {@code ChannelRenewalApplication} builds, with constructors (bench only). */
public final class BareChannelRenewalHandler extends BareHandler {
    public BareChannelRenewalHandler() {
        super(build(Env.of(System::getenv, DatabaseSettings.VARIABLES, AuditQueueSettings.VARIABLES,
                OutboxRelaySettings.VARIABLES, GoogleCalendarSettings.VARIABLES, WritableCalendars.VARIABLES,
                SyncSettings.VARIABLES, SyncQueueSettings.VARIABLES), Clock.systemUTC()));
    }

    private static ScheduledShell build(Env env, Clock clock) {
        OutboxRelaySettings settings = OutboxRelaySettings.fromEnv(env);
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env));
        var relay = new OutboxRelay(dataSource, SqsOutboxSender.fromEnv(env), clock, settings.batchSize());
        var google = GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(env));
        var channels = ChannelManager.fromEnv(env, dataSource, google, clock);
        return new ScheduledShell(List.of(new ChannelRenewalJob(channels), new OutboxRelayJob(relay, clock, settings.budget())));
    }
}
