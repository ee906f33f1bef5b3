package dev.pipedesk.calendarsync;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.lambda.SqsBatchShell;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.sync.CalendarSync;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The sync worker Lambda, triggered by the FIFO sync queue ({@code pipedesk-calendar-sync.fifo};
 * the event source mapping with {@code ReportBatchItemFailures}): {@code FunctionInvoker} starts
 * this context and calls {@code calendarSync} with each batch, which syncs each calendar of the
 * batch once ({@link SyncBatchHandler}). The sync's audit events go through the outbox to the
 * audit queue. Only the function catalog is auto-configured; nothing is scanned.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class CalendarSyncApplication {

    @Bean
    public SqsBatchShell calendarSync(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, GoogleCalendarSettings.VARIABLES,
                AuditQueueSettings.VARIABLES, SyncSettings.VARIABLES, WritableCalendars.VARIABLES, MetricsSettings.VARIABLES,
                SecretsSettings.VARIABLES);
        // Secret ARNs (database, Google key): read at first use, never while the context starts.
        var secrets = Secrets.fromEnv(env);
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env), secrets);
        var outbox = new AuditOutbox(dataSource, SqsOutboxSender.fromEnv(env), Clock.systemUTC());
        var sync = new CalendarSync(dataSource, GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(env), secrets), outbox,
                SyncSettings.fromEnv(env), Clock.systemUTC());
        var metrics = EmfMetrics.fromEnv(env);
        return new SqsBatchShell("calendar-sync", new SyncBatchHandler(sync::sync, metrics), metrics);
    }
}
