package dev.pipedesk.webhook;

import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.NotificationGate;
import dev.pipedesk.sync.SqsSyncQueue;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.sync.WatchChannelRepository;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The Google Calendar webhook Lambda ({@code POST /webhooks/google-calendar}, no authorizer):
 * {@code FunctionInvoker} starts this context and calls {@code googleCalendarWebhook} with each
 * API Gateway payload 2.0 event. It verifies the notification and puts a sync request on the FIFO
 * sync queue; the sync itself runs in the calendar-sync function. Only the function catalog is
 * auto-configured; nothing is scanned.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class WebhookApplication {
    /**
     * The longest wait for a database connection: a notification is answered quickly or with a
     * 503 that Google retries, never after Google has given up waiting.
     */
    static final Duration DATABASE_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Bean
    public GoogleCalendarWebhook googleCalendarWebhook(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, SyncQueueSettings.VARIABLES,
                RateLimitSettings.VARIABLES, MetricsSettings.VARIABLES, SecretsSettings.VARIABLES);
        // DATABASE_SECRET_ARN: read when the first connection is opened, never while the context starts.
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env), DATABASE_CONNECT_TIMEOUT, Secrets.fromEnv(env));
        var gate = new NotificationGate(new WatchChannelRepository(dataSource), new SyncStateRepository(dataSource),
                SqsSyncQueue.create(SyncQueueSettings.fromEnv(env)), Clock.systemUTC());
        return new GoogleCalendarWebhook(gate::admit, DynamoDbRateLimiter.fromEnv(env), EmfMetrics.fromEnv(env));
    }
}
