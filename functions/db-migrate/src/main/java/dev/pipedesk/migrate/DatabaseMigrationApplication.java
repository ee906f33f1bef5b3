package dev.pipedesk.migrate;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.core.Env;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.SecretsManagerSource;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The database migration Lambda, invoked once per deployment by the CDK app's Trigger (any JSON
 * event): it applies the Flyway migrations and creates or re-passwords one login user per database
 * group role ({@link DatabaseMigration}), and answers a JSON summary ({@link MigrationSummary}). A
 * failure throws, so the Trigger, and with it the deployment, fails. Only the function catalog is
 * auto-configured; nothing is scanned.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class DatabaseMigrationApplication {

    @Bean
    public Function<Map<String, Object>, Map<String, Object>> migrateDatabase(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, MigrationSettings.VARIABLES,
                SecretsSettings.VARIABLES);
        MigrationSettings settings = MigrationSettings.fromEnv(env);
        // Secrets (the admin's, the logins') are read during the invocation, never while the context starts.
        SecretsManagerSource source = SecretsManagerSource.standard();
        Secrets secrets = new Secrets(source, SecretsSettings.fromEnv(env), Clock.systemUTC());
        return event -> {
            // One pool per run, closed after it: nothing stays connected between deployments.
            try (HikariDataSource admin = Databases.create(settings.database().withMaxPoolSize(2), secrets)) {
                return new DatabaseMigration(admin, source).run(settings.loginSecrets()).toJson();
            }
        };
    }
}
