package dev.pipedesk.local;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.jwt.LocalJwtAlgorithm;

import java.util.List;
import java.util.Locale;

/** What {@code ./pipedesk local} prints: usage, and the banner once everything is up. */
final class Banner {
    /** The roles a banner token is printed for, most privileged first. */
    static final List<Role> BANNER_ROLES = List.of(Role.ADMIN, Role.MANAGER, Role.SALES, Role.VIEWER, Role.CLIENT);

    private Banner() {
    }

    static String usage() {
        return """
                PipeDesk local stack: PostgreSQL, SQS (ElasticMQ) with the audit queue and the FIFO calendar
                sync queue, the Google Calendar emulator, every function behind its real Lambda handler,
                SQS->Lambda pollers for audit-writer and calendar-sync (per-calendar order), a schedule for
                channel-renewal, and a local API Gateway (routes, Lambda authorizer, payload 2.0) that also
                receives Google's push notifications (POST /webhooks/google-calendar).

                Usage: ./pipedesk local        (Ctrl-C stops everything)
                       ./pipedesk token --role sales [--sub ID] [--email E]   (a token for any role/user)

                Environment variables:
                  PORT                  the API's port on 127.0.0.1 (default 3000)
                  GOOGLE_EMULATOR_PORT  the Google Calendar emulator's port (default 3001)
                  DATABASE_URL          use this PostgreSQL (jdbc:postgresql://host:port/db or postgres://...),
                                        migrated on start; unset: an embedded PostgreSQL, discarded on exit
                  DATABASE_USER, DATABASE_PASSWORD   credentials for DATABASE_URL
                  JWT_HS256_SECRET      token secret (default: the local development secret, printed on start)
                  JWT_ISSUER, JWT_AUDIENCE   the tokens' iss / aud (default pipedesk-local / authenticated)
                  JWT_LEEWAY_SECONDS, JWT_ROLE_CLAIMS   passed to the authorizer
                  LOCAL_JWT_ALG         HS256 (default) or ES256: how the printed tokens are signed; the
                                        authorizer accepts both (ES256 via the stack's own JWKS)
                  LOCAL_LOG_DIR         where <function>.log, gateway.log, ... go (default local/target/logs);
                                        the console shows one access-log line per request and warnings
                  LOCAL_FUNCTION_CONCURRENCY   instances of each function started on demand (default 2)
                  LOCAL_MAX_FUNCTION_INSTANCES instances of all functions together (default 8)
                  CORS_ALLOWED_ORIGINS  comma list of origins a browser front end may use (default none)
                  SQS_PORT              the local SQS (ElasticMQ) port on 127.0.0.1 (default 9324)
                  LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS   the audit and sync queues' visibility timeout (default 30)
                  LOCAL_SCHEDULE_SECONDS   run the scheduled functions (channel-renewal: channels, backstop sync,
                                        outbox relay) every this many seconds (default 10; 0: never; run it
                                        now with POST /_local/functions/channel-renewal/invoke)
                  AUDIT_WRITER_DATABASE_PASSWORD   with DATABASE_URL: the password the pipedesk_audit_writer
                                        role already has (unset: the stack enables its login with a generated one)
                  TIMELINE_READER_DATABASE_PASSWORD   the same for the read-only pipedesk_timeline_reader role
                                        (the timeline function's login)
                  DYNAMODB_PORT         the local DynamoDB (emulator, rate-limit table) port (default 8000)
                  RATE_LIMIT_USER_PER_MINUTE   requests per user and minute on the API (default 600; 0: off,
                                        e.g. for load tests)
                  GOOGLE_SYNC_CALENDARS comma list of the calendars to keep in sync, passed to the functions
                                        (default: unset, they sync the calendars PipeDesk may write: primary)
                  SYNC_BACKSTOP_SECONDS a calendar without a notification or sync this long is synced by the
                                        scheduled run (default 30 locally; passed to channel-renewal)
                  CHANNEL_RENEW_BEFORE_SECONDS   a channel expiring within this gets its successor (passed to
                                        channel-renewal when set; its default 86400)
                  GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS   the emulator clamps channel lifetimes to this
                                        (default 604800, 7 days; e.g. 60 to watch renewal at work)
                """;
    }

    /**
     * Library logging (embedded PostgreSQL, Flyway, HikariCP) through slf4j-simple at WARN, so the
     * console shows the stack's own progress and the functions' logs. Takes effect only before
     * the first logger is created; {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} overrides it.
     */
    static void quietLibraryLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
            System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        }
    }

    static String ready(LocalStack stack, long startMillis) {
        String api = stack.apiBaseUrl().toString();
        StringBuilder out = new StringBuilder();
        String line = "=".repeat(78);
        out.append(System.lineSeparator()).append(line).append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, " PipeDesk local stack is ready (%.1f s)%n", startMillis / 1000.0));
        out.append(line).append(System.lineSeparator());
        row(out, "API", api);
        row(out, "Health", stack.healthUrl().toString());
        row(out, "OpenAPI", stack.openApiUrl().toString());
        row(out, "API reference", stack.apiReferenceUrl() + "  (Swagger UI in a browser)");
        row(out, "Google Calendar", stack.emulator().rootUrl().toString() + "  (emulator)");
        row(out, "Emulator control", stack.emulator().rootUrl().resolve("emulator/") + "  (test controls: faults, external edits)");
        row(out, "PostgreSQL", stack.databaseSettings().jdbcUrl()
                + (stack.usesEmbeddedDatabase() ? "  (embedded, user postgres / password postgres, discarded on exit)" : ""));
        row(out, "SQS", stack.sqs().endpoint() + "  (ElasticMQ, region " + dev.pipedesk.localaws.LocalSqs.REGION
                + ", any credentials)");
        row(out, "Audit queue", stack.sqs().auditQueueUrl() + "  (visibility "
                + stack.options().sqs().visibilityTimeout().toSeconds() + " s"
                + (stack.auditQueuePoller().isPresent() ? ", polled for audit-writer, "
                        + stack.auditQueuePoller().get().settings().describeBatching() : ", not consumed: audit-writer is not running")
                + ")");
        row(out, "Audit DLQ", stack.sqs().deadLetterQueueUrl() + "  (after " + stack.options().sqs().maxReceiveCount()
                + " receives)");
        row(out, "Sync queue", stack.sqs().syncQueueUrl() + "  (FIFO, group = calendar, visibility "
                + stack.options().sqs().visibilityTimeout().toSeconds() + " s"
                + stack.syncQueuePoller().map(poller -> ", polled for calendar-sync in per-calendar order, batch size "
                        + poller.settings().batchSize() + ", up to " + poller.settings().maxConcurrency() + " calendars at once")
                        .orElse(", not consumed: calendar-sync is not running")
                + ")");
        row(out, "Sync DLQ", stack.sqs().syncDeadLetterQueueUrl() + "  (FIFO, after " + stack.options().sqs().maxReceiveCount()
                + " receives)");
        var limits = stack.rateLimitSettings();
        row(out, "DynamoDB", stack.dynamoDb().endpoint() + "  (emulator, table " + limits.table() + ": rate limit "
                + (limits.userLimitPerMinute() == 0 ? "off" : limits.userLimitPerMinute() + " requests/user/minute") + ")");
        row(out, "Schedule", stack.scheduler().filter(s -> !s.functionNames().isEmpty())
                .map(s -> String.join(", ", s.functionNames()) + (s.rate().isZero() ? "  (only on demand)"
                        : " every " + s.rate().toSeconds() + " s") + "; run one now: curl -s -X POST " + api
                        + "/_local/functions/" + s.functionNames().getFirst() + "/invoke")
                .orElse("(no scheduled function running)"));
        var sync = stack.syncSettings();
        row(out, "Watched calendars", String.join(", ", sync.calendars().stream().sorted().toList())
                + (stack.options().sync().calendars().isEmpty()
                        ? "  (GOOGLE_SYNC_CALENDARS unset: the calendars PipeDesk may write)" : "  (GOOGLE_SYNC_CALENDARS)")
                + (stack.isRunning(LocalFunctions.CHANNEL_RENEWAL.name()) ? "" : "; not watched: channel-renewal is not running"));
        row(out, "Webhook", sync.webhookAddress() + "  (Google's push notifications -> "
                + (stack.isRunning(LocalFunctions.WEBHOOK.name()) ? "webhook" : "webhook, not running") + "; backstop sync after "
                + stack.options().sync().backstop().toSeconds() + " s without a notification"
                + (stack.options().sync().maxChannelTtl() == null ? ""
                        : "; the emulator's channels live at most " + stack.options().sync().maxChannelTtl().toSeconds() + " s")
                + ")");
        row(out, "Functions", String.join(", ", stack.runningFunctions()) + "  (up to "
                + stack.options().instances().perFunction() + " instances each on demand, "
                + stack.options().instances().total() + " in all)");
        row(out, "Logs", stack.logDir() + "  (START/END/REPORT per invocation; the console shows requests and warnings)");
        if (stack.options().cors().enabled()) {
            row(out, "CORS", String.join(", ", stack.options().cors().allowedOrigins()));
        }
        stack.auditWriterWarning().ifPresent(warning -> row(out, "WARNING", warning));
        stack.timelineReaderWarning().ifPresent(warning -> row(out, "WARNING", warning));
        row(out, "JWT secret", stack.options().jwtSecret()
                + (stack.options().isDefaultJwtSecret() ? "  (local development default; set JWT_HS256_SECRET to change)" : ""));
        row(out, "JWKS", stack.jwksUrl() + "  (ES256 key " + stack.repoRoot().relativize(stack.signingKeyFile())
                + ", kid " + stack.signingKeyId() + ")");
        row(out, "Token claims", "iss " + stack.jwtSettings().issuer() + ", aud " + stack.jwtSettings().audience()
                + "; the authorizer accepts HS256 and ES256");
        out.append(System.lineSeparator());
        out.append(" Bearer tokens (").append(stack.options().jwtAlgorithm()).append(", valid ")
                .append(LocalStack.BANNER_TOKEN_TTL.toHours()).append(" h; LOCAL_JWT_ALG=")
                .append(stack.options().jwtAlgorithm() == LocalJwtAlgorithm.HS256 ? "ES256" : "HS256")
                .append(" for the other kind; more: ./pipedesk token --role <role> [--sub ID] [--email E]):")
                .append(System.lineSeparator());
        String salesToken = null;
        for (Role role : BANNER_ROLES) {
            String userId = "local-" + role.wire();
            String token = stack.token(role, userId, role.wire() + "@pipedesk.local");
            if (role == Role.SALES) {
                salesToken = token;
            }
            out.append(String.format(Locale.ROOT, "   %-8s %-14s %s%n", role.wire(), userId, role.wire() + "@pipedesk.local"));
            out.append("     ").append(token).append(System.lineSeparator());
        }
        out.append(System.lineSeparator());
        out.append(" Try:").append(System.lineSeparator());
        out.append("   TOKEN=").append(salesToken).append(System.lineSeparator());
        out.append("   curl -s -X POST ").append(api).append("/api/calendar/events \\").append(System.lineSeparator());
        out.append("     -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\")
                .append(System.lineSeparator());
        out.append("     -d '{\"summary\":\"Intro call\",\"start_time\":\"2030-01-15T10:00:00Z\",")
                .append("\"end_time\":\"2030-01-15T10:30:00Z\",\"create_meet_link\":true}'")
                .append(System.lineSeparator());
        out.append("   curl -s ").append(api).append("/api/calendar/events -H \"Authorization: Bearer $TOKEN\"")
                .append(System.lineSeparator());
        out.append(System.lineSeparator()).append(" Press Ctrl-C to stop.").append(System.lineSeparator());
        out.append(line);
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, " %-17s %s%n", label, value));
    }
}
