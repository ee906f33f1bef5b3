package dev.pipedesk.webhook;

import dev.pipedesk.bench.BareHandler;
import dev.pipedesk.core.Env;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.NotificationGate;
import dev.pipedesk.sync.SqsSyncQueue;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.sync.WatchChannelRepository;
import java.time.Clock;
import java.time.Duration;

/** The webhook without Spring: what {@code WebhookApplication} builds, with constructors (bench only). */
public final class BareWebhookHandler extends BareHandler {
    /** {@code WebhookApplication.DATABASE_CONNECT_TIMEOUT} (read there, that class would load Spring's types). */
    static final Duration DATABASE_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    public BareWebhookHandler() {
        super(build(Env.of(System::getenv, DatabaseSettings.VARIABLES, SyncQueueSettings.VARIABLES,
                RateLimitSettings.VARIABLES)));
    }

    private static GoogleCalendarWebhook build(Env env) {
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env), DATABASE_CONNECT_TIMEOUT);
        var gate = new NotificationGate(new WatchChannelRepository(dataSource), new SyncStateRepository(dataSource),
                SqsSyncQueue.create(SyncQueueSettings.fromEnv(env)), Clock.systemUTC());
        return new GoogleCalendarWebhook(gate::admit, DynamoDbRateLimiter.fromEnv(env));
    }
}
