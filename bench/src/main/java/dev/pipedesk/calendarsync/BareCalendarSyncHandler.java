package dev.pipedesk.calendarsync;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.bench.BareHandler;
import dev.pipedesk.core.Env;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.lambda.SqsBatchShell;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.sync.CalendarSync;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;

/** Calendar-sync without Spring: what {@code CalendarSyncApplication} builds, with constructors (bench only). */
public final class BareCalendarSyncHandler extends BareHandler {
    public BareCalendarSyncHandler() {
        super(build(Env.of(System::getenv, DatabaseSettings.VARIABLES, GoogleCalendarSettings.VARIABLES,
                AuditQueueSettings.VARIABLES, SyncSettings.VARIABLES, WritableCalendars.VARIABLES)));
    }

    private static SqsBatchShell build(Env env) {
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env));
        var outbox = new AuditOutbox(dataSource, SqsOutboxSender.fromEnv(env), Clock.systemUTC());
        var sync = new CalendarSync(dataSource, GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(env)), outbox,
                SyncSettings.fromEnv(env), Clock.systemUTC());
        return new SqsBatchShell("calendar-sync", new SyncBatchHandler(sync::sync));
    }
}
