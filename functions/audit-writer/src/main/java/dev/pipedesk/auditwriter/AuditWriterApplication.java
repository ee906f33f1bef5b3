package dev.pipedesk.auditwriter;

import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.lambda.SqsBatchShell;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The audit-writer Lambda, triggered by the SQS audit queue: {@code FunctionInvoker} starts this
 * context and calls {@code writeAuditEvents} with each batch. Only the function catalog is
 * auto-configured; nothing is scanned. It reads only the database variables; the database user
 * should be {@code pipedesk_audit_writer} (INSERT on audit_logs, nothing else).
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class AuditWriterApplication {

    @Bean
    public SqsBatchShell writeAuditEvents(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, MetricsSettings.VARIABLES,
                SecretsSettings.VARIABLES);
        // DATABASE_SECRET_ARN: read when the first connection is opened, never while the context starts.
        var dataSource = Databases.create(DatabaseSettings.fromEnv(env), Secrets.fromEnv(env));
        var metrics = EmfMetrics.fromEnv(env);
        return new SqsBatchShell("audit-writer",
                new AuditLogWriter(new AuditLogRepository(dataSource), AuditEventValidator.load(), metrics), metrics);
    }
}
