package dev.pipedesk.webhook;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.http.ApiPriming;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.postgres.PoolSnapshots;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.state.RateLimiter;
import dev.pipedesk.sync.NotificationGate;
import dev.pipedesk.sync.SqsSyncQueue;
import dev.pipedesk.sync.SyncRequest;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.sync.WatchChannelRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 *
 * <p>SnapStart ({@link #snapStart}): primed with a notification without Google's headers, refused 400
 * before any read and without the rate limiter (a refusal counts against the source IP: a write);
 * the pool is emptied before the snapshot and after a restore.
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
        HikariDataSource pool = Databases.create(DatabaseSettings.fromEnv(env), DATABASE_CONNECT_TIMEOUT, Secrets.fromEnv(env));
        var gate = new NotificationGate(new WatchChannelRepository(pool), new SyncStateRepository(pool),
                SqsSyncQueue.create(SyncQueueSettings.fromEnv(env)), Clock.systemUTC());
        SnapStartHooks.register(snapStart(gate, pool));
        return new GoogleCalendarWebhook(gate::admit, DynamoDbRateLimiter.fromEnv(env), EmfMetrics.fromEnv(env));
    }

    /** The function's SnapStart hooks (docs/architecture.md, "SnapStart"). */
    static SnapStartResource snapStart(NotificationGate gate, HikariDataSource pool) {
        GoogleCalendarWebhook withoutRateLimit = new GoogleCalendarWebhook(gate::admit, RateLimiter.OFF);
        SnapStartResource.Builder resource = SnapStartResource.forFunction("webhook")
                .prime("notification refused before any read (400)", () -> ApiPriming.answer(withoutRateLimit,
                        WebhookApplication.class, "priming/event.json", 400, 400))
                .prime("OK response rendered", () -> ApiPriming.renderOk(Map.of("result", "enqueued")))
                .prime("sync request serialised", () -> Json.write(new SyncRequest("priming@example.com",
                        SyncRequest.Reason.NOTIFICATION, "snapstart-priming", 1L, Instant.EPOCH)));
        return new PoolSnapshots(pool).addTo(resource).build();
    }
}
