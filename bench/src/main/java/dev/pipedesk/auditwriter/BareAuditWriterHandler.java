package dev.pipedesk.auditwriter;

import dev.pipedesk.audit.AuditEventValidator;
import dev.pipedesk.bench.BareHandler;
import dev.pipedesk.core.Env;
import dev.pipedesk.lambda.SqsBatchShell;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;

/** The audit-writer without Spring: what {@code AuditWriterApplication} builds, with constructors (bench only). */
public final class BareAuditWriterHandler extends BareHandler {
    public BareAuditWriterHandler() {
        super(new SqsBatchShell("audit-writer", new AuditLogWriter(new AuditLogRepository(Databases.create(
                DatabaseSettings.fromEnv(Env.of(System::getenv, DatabaseSettings.VARIABLES)))), AuditEventValidator.load())));
    }
}
