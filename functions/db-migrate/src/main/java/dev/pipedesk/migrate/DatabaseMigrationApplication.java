package dev.pipedesk.migrate;

import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The database migration Lambda, invoked once per deployment by the CDK app's Trigger: it applies
 * the Flyway migrations and creates one login user per database role. (Skeleton: being built.)
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class DatabaseMigrationApplication {

    @Bean
    public Function<Map<String, Object>, Map<String, Object>> migrateDatabase() {
        return event -> {
            throw new UnsupportedOperationException("the migration function is being built");
        };
    }
}
