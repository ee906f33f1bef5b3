package dev.pipedesk.renewal;

import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.OutboxRelay;
import dev.pipedesk.audit.OutboxRelaySettings;
import dev.pipedesk.audit.SqsOutboxSender;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.Metrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.core.Json;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.lambda.Priming;
import dev.pipedesk.lambda.ScheduledJob;
import dev.pipedesk.lambda.ScheduledShell;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.postgres.PoolSnapshots;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.RenewalReport;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
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
 *
 * <p>SnapStart ({@link #snapStart}): primed with a scheduled event run through the shell with two
 * stand-in jobs that return summaries like the real ones (no database, no Google, no send); the
 * pool is emptied before the snapshot and after a restore.
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
        // Secret ARNs (database, Google key): read at first use, never while the context starts.
        var secrets = Secrets.fromEnv(env);
        HikariDataSource pool = Databases.create(DatabaseSettings.fromEnv(env), secrets);
        var metrics = EmfMetrics.fromEnv(env);
        ScheduledShell shell = new ScheduledShell(jobs(env, Clock.systemUTC(), pool, secrets, metrics), metrics);
        SnapStartHooks.register(snapStart(pool));
        return shell;
    }

    /** The function's SnapStart hooks (docs/architecture.md, "SnapStart"). */
    static SnapStartResource snapStart(HikariDataSource pool) {
        ScheduledShell standIns = new ScheduledShell(List.of(
                standIn("channel_renewal", () -> new RenewalReport(Instant.EPOCH, "https://priming.invalid/webhooks/google-calendar",
                        List.of(), List.of())),
                standIn("outbox_relay", () -> new OutboxRelayJob.Summary(0, 0, 0, 1, OutboxRelayJob.Stop.DRAINED))));
        SnapStartResource.Builder resource = SnapStartResource.forFunction("channel-renewal")
                .prime("scheduled event run through the shell with stand-in jobs", () -> Json.write(
                        standIns.apply(Priming.event(ChannelRenewalApplication.class, "priming/event.json"))));
        return new PoolSnapshots(pool).addTo(resource).build();
    }

    private static ScheduledJob standIn(String name, Supplier<Record> summary) {
        return new ScheduledJob() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Record run() {
                return summary.get();
            }
        };
    }

    static List<ScheduledJob> jobs(Env env, Clock clock, HikariDataSource dataSource, Secrets secrets, Metrics metrics) {
        OutboxRelaySettings settings = OutboxRelaySettings.fromEnv(env);
        var relay = new OutboxRelay(dataSource, SqsOutboxSender.fromEnv(env), clock, settings.batchSize());
        var google = GoogleCalendarGateway.create(GoogleCalendarSettings.fromEnv(env), secrets);
        var channels = ChannelManager.fromEnv(env, dataSource, google, clock);
        return List.of(new ChannelRenewalJob(channels, metrics), new OutboxRelayJob(relay, clock, settings.budget()));
    }
}
