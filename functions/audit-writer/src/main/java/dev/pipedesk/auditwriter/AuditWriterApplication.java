package dev.pipedesk.auditwriter;

import dev.pipedesk.audit.AuditEventValidator;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.Priming;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.lambda.SqsBatchShell;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.postgres.PoolSnapshots;
import java.util.List;
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
 *
 * <p>SnapStart ({@link #snapStart}): primed with an SQS event of valid audit events read by the
 * shell and validated, never inserted; the pool is emptied before the snapshot and after a restore.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(ContextFunctionCatalogAutoConfiguration.class)
public class AuditWriterApplication {

    @Bean
    public SqsBatchShell writeAuditEvents(Environment environment) {
        Env env = Env.of(environment::getProperty, DatabaseSettings.VARIABLES, MetricsSettings.VARIABLES,
                SecretsSettings.VARIABLES);
        // DATABASE_SECRET_ARN: read when the first connection is opened, never while the context starts.
        HikariDataSource pool = Databases.create(DatabaseSettings.fromEnv(env), Secrets.fromEnv(env));
        var metrics = EmfMetrics.fromEnv(env);
        AuditLogWriter writer = new AuditLogWriter(new AuditLogRepository(pool), AuditEventValidator.load(), metrics);
        SnapStartHooks.register(snapStart(writer, pool));
        return new SqsBatchShell("audit-writer", writer, metrics);
    }

    /** The function's SnapStart hooks (docs/architecture.md, "SnapStart"). */
    static SnapStartResource snapStart(AuditLogWriter writer, HikariDataSource pool) {
        SqsBatchShell validateOnly = new SqsBatchShell("audit-writer", writer::primeWithoutWriting);
        SnapStartResource.Builder resource = SnapStartResource.forFunction("audit-writer")
                .prime("SQS event read and its audit events validated, not written", () -> Json.write(
                        validateOnly.apply(Priming.event(AuditWriterApplication.class, "priming/event.json"))))
                .prime("partial batch response rendered", () -> Json.write(
                        new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("priming")))));
        return new PoolSnapshots(pool).addTo(resource).build();
    }
}
