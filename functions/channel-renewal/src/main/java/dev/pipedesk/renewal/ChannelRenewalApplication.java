package dev.pipedesk.renewal;

import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.OutboxRelay;
import dev.pipedesk.audit.OutboxRelaySettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.Metrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.lambda.ScheduledJob;
import dev.pipedesk.lambda.ScheduledShell;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The scheduled maintenance Lambda (an EventBridge schedule in AWS, every minute, because the
 * relay is the only way database-captured lead/deal events reach the audit queue; the local
 * stack's scheduler locally): {@code FunctionInvoker} starts this context and calls
 * {@code channelRenewal} with each scheduled event. Its jobs, in order: channel renewal and the
 * backstop sync requests ({@link ChannelRenewalJob}), then the audit outbox relay
 * ({@link OutboxRelayJob}), so that audit events written by the first leave in the same run. Only
 * the function catalog is auto-configured; nothing is scanned.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class ChannelRenewalApplication {

    @Bean
    public ScheduledShell channelRenewal(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES,
                AuditQueueSettings.VARIABLES, OutboxRelaySettings.VARIABLES, GoogleCalendarSettings.VARIABLES,
                WritableCalendars.VARIABLES, SyncSettings.VARIABLES, SyncQueueSettings.VARIABLES, MetricsSettings.VARIABLES,
                SecretsSettings.VARIABLES);
        var metrics = EmfMetrics.fromEnv(env);
        return new ScheduledShell(jobs(env, Clock.systemUTC(), metrics), metrics);
    }

    static List<ScheduledJob> jobs(Env env, Clock clock) {
        return jobs(env, clock, Metrics.NONE);
    }

    static List<ScheduledJob> jobs(Env env, Clock clock, Metrics metrics) {
        OutboxRelaySettings settings = OutboxRelaySettings.fromEnv(env);
        // Secret ARNs (database, Google key): read at first use, never while the context starts.
        var secrets = Secrets.fromEnv(env);
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env), secrets);
        var relay = new OutboxRelay(dataSource, SqsOutboxSender.fromEnv(env), clock, settings.batchSize());
        var google = GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(env), secrets);
        var channels = ChannelManager.fromEnv(env, dataSource, google, clock);
        return List.of(new ChannelRenewalJob(channels, metrics), new OutboxRelayJob(relay, clock, settings.budget()));
    }
}
