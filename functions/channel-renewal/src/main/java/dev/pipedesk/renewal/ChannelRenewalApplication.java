package dev.pipedesk.renewal;

import dev.pipedesk.audit.OutboxRelay;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code channelRenewal} with each scheduled event. For now its only job is the audit outbox relay; channel renewal and the
 * backstop sync are added to {@link #jobs} later. Only the function catalog is
 * auto-configured; nothing is scanned.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class ChannelRenewalApplication {
    static final int DEFAULT_RELAY_BATCH_SIZE = 50;
    static final int DEFAULT_RELAY_BUDGET_SECONDS = 20;

    /** Environment variables the function reads. */
    static final List<String> VARIABLES;

    static {
        List<String> names = new ArrayList<>(List.of("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
                "DATABASE_POOL_SIZE", "AUDIT_RELAY_BATCH_SIZE", "AUDIT_RELAY_BUDGET_SECONDS"));
        names.addAll(SqsOutboxSender.VARIABLES);
        VARIABLES = List.copyOf(names);
    }

    @Bean
    public ScheduledRun channelRenewal(Environment environment) {
        return new ScheduledRun(jobs(Env.of(VARIABLES, environment::getProperty), Clock.systemUTC()));
    }

    static List<ScheduledJob> jobs(Env env, Clock clock) {
        int batchSize = env.getInt("AUDIT_RELAY_BATCH_SIZE", DEFAULT_RELAY_BATCH_SIZE);
        int budgetSeconds = env.getInt("AUDIT_RELAY_BUDGET_SECONDS", DEFAULT_RELAY_BUDGET_SECONDS);
        if (batchSize < 1) {
            throw new IllegalStateException("AUDIT_RELAY_BATCH_SIZE must be at least 1, got " + batchSize);
        }
        if (budgetSeconds < 1) {
            throw new IllegalStateException("AUDIT_RELAY_BUDGET_SECONDS must be at least 1, got " + budgetSeconds);
        }
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env));
        var relay = new OutboxRelay(dataSource, SqsOutboxSender.fromEnv(env), clock, batchSize);
        // Channel renewal and the backstop sync go here, before the relay.
        return List.of(new OutboxRelayJob(relay, clock, Duration.ofSeconds(budgetSeconds)));
    }
}
