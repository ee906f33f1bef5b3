package dev.pipedesk.local;

import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.SyncSettings;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Each function's Lambda environment in the local stack: exactly what the function reads, no more
 * (a function that never calls Google gets no service-account key).
 *
 * @param database            the stack's database (every function but the authorizer, audit-writer and timeline)
 * @param auditWriterDatabase how audit-writer connects ({@code pipedesk_audit_writer}, INSERT only)
 * @param timelineDatabase    how timeline connects ({@code pipedesk_timeline_reader}, read-only)
 * @param authorizerJwt       the authorizer's {@code JWT_*} variables, {@code JWT_JWKS_URL} included
 * @param google              the {@code GOOGLE_*} variables of the functions that call Google (the emulator)
 * @param rateLimits          the API functions' rate limit (the local DynamoDB)
 * @param sqsEndpoint         the local SQS (ElasticMQ)
 * @param auditQueueUrl       the audit queue (its producers)
 * @param syncQueueUrl        the FIFO sync queue (the functions that ask for a sync)
 * @param webhookBaseUrl      the gateway's own base URL, where channels post notifications
 * @param sync                the stack's sync variables
 * @param overrides           extra variables per function name, applied last
 */
record FunctionEnvironments(DatabaseSettings database, DatabaseSettings auditWriterDatabase,
                            DatabaseSettings timelineDatabase, Map<String, String> authorizerJwt,
                            Map<String, String> google, RateLimitSettings rateLimits, URI sqsEndpoint, String auditQueueUrl,
                            String syncQueueUrl, URI webhookBaseUrl, LocalStackOptions.Sync sync,
                            Map<String, Map<String, String>> overrides) {

    /** The sync queue's URL, as the webhook's and the enqueuers' settings record reads it. */
    static final String SYNC_QUEUE_URL_VARIABLE = "CALENDAR_SYNC_QUEUE_URL";

    /** The functions that call Google (through the emulator locally). */
    static final List<LocalFunctions.Definition> GOOGLE_CLIENTS =
            List.of(LocalFunctions.CALENDAR, LocalFunctions.CALENDAR_SYNC, LocalFunctions.CHANNEL_RENEWAL);
    /** The functions that write audit events (outbox, then the audit queue). */
    static final List<LocalFunctions.Definition> AUDIT_PRODUCERS =
            List.of(LocalFunctions.CALENDAR, LocalFunctions.CALENDAR_SYNC, LocalFunctions.CHANNEL_RENEWAL);
    /** The functions that ask for a sync (send to the FIFO sync queue). */
    static final List<LocalFunctions.Definition> SYNC_REQUESTERS =
            List.of(LocalFunctions.CALENDAR, LocalFunctions.CHANNEL_RENEWAL, LocalFunctions.WEBHOOK);
    /** The functions that read the sync settings (the calendars to sync). */
    static final List<LocalFunctions.Definition> SYNC_FUNCTIONS =
            List.of(LocalFunctions.CALENDAR, LocalFunctions.CHANNEL_RENEWAL, LocalFunctions.WEBHOOK, LocalFunctions.CALENDAR_SYNC);
    /**
     * The functions that count requests in the rate-limit table: the API functions (per user), and the
     * webhook (the notifications that fail verification, per source IP).
     */
    static final List<LocalFunctions.Definition> RATE_LIMIT_TABLE_USERS =
            List.of(LocalFunctions.CALENDAR, LocalFunctions.TIMELINE, LocalFunctions.WEBHOOK);
    /** The functions that open watch channels (and so need the webhook's address). */
    static final List<LocalFunctions.Definition> CHANNEL_OPENERS = List.of(LocalFunctions.CALENDAR, LocalFunctions.CHANNEL_RENEWAL);

    FunctionEnvironments {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(auditWriterDatabase, "auditWriterDatabase");
        Objects.requireNonNull(timelineDatabase, "timelineDatabase");
        Objects.requireNonNull(sync, "sync");
    }

    /** The service-account key (issued by the emulator), the impersonated user and the emulator's root URL. */
    static Map<String, String> googleEnvironment(String serviceAccountJson, String impersonatedUser, URI rootUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(GoogleCalendarSettings.Variable.GOOGLE_SERVICE_ACCOUNT_JSON.name(), serviceAccountJson);
        env.put(GoogleCalendarSettings.Variable.GOOGLE_IMPERSONATE_USER.name(), impersonatedUser);
        env.put(GoogleCalendarSettings.Variable.GOOGLE_CALENDAR_ROOT_URL.name(), rootUrl.toString());
        return env;
    }

    /** The function's configuration, as its Lambda environment variables. */
    Map<String, String> of(LocalFunctions.Definition function) {
        Map<String, String> env = new LinkedHashMap<>();
        if (function.equals(LocalFunctions.AUTHORIZER)) {
            env.putAll(authorizerJwt);
        } else if (function.equals(LocalFunctions.AUDIT_WRITER)) {
            env.putAll(auditWriterDatabase.withMaxPoolSize(DatabaseSettings.DEFAULT_POOL_SIZE).toEnvironment());
        } else if (function.equals(LocalFunctions.TIMELINE)) {
            env.putAll(timelineDatabase.withMaxPoolSize(DatabaseSettings.DEFAULT_POOL_SIZE).toEnvironment());
        } else {
            env.putAll(database.withMaxPoolSize(DatabaseSettings.DEFAULT_POOL_SIZE).toEnvironment());
        }
        if (GOOGLE_CLIENTS.contains(function)) {
            // Only the functions that talk to Google get the service-account key.
            env.putAll(google);
        }
        if (RATE_LIMIT_TABLE_USERS.contains(function)) {
            // They count requests in the local DynamoDB (RATE_LIMIT_USER_PER_MINUTE overrides below);
            // their SDK's default credentials chain finds the dummy keys in the environment.
            env.putAll(rateLimits.toEnvironment());
            putCredentials(env);
        }
        if (AUDIT_PRODUCERS.contains(function)) {
            // Audit producers: events go to the outbox, then to the audit queue (the relay re-sends leftovers).
            env.putAll(new AuditQueueSettings(auditQueueUrl, LocalSqs.REGION, sqsEndpoint, LocalSqs.ACCESS_KEY_ID,
                    LocalSqs.SECRET_ACCESS_KEY, null).toEnvironment());
        }
        if (SYNC_REQUESTERS.contains(function)) {
            env.put(SYNC_QUEUE_URL_VARIABLE, syncQueueUrl);
            putSqsAccess(env);
        }
        if (SYNC_FUNCTIONS.contains(function) && !sync.calendars().isEmpty()) {
            env.put(SyncSettings.Variable.GOOGLE_SYNC_CALENDARS.name(), String.join(",", sync.calendars()));
        }
        if (CHANNEL_OPENERS.contains(function)) {
            env.put(SyncSettings.Variable.WEBHOOK_BASE_URL.name(), webhookBaseUrl.toString());
        }
        if (function.equals(LocalFunctions.CHANNEL_RENEWAL)) {
            env.put(SyncSettings.Variable.SYNC_BACKSTOP_SECONDS.name(), Long.toString(sync.backstop().toSeconds()));
            if (sync.renewBefore() != null) {
                env.put(SyncSettings.Variable.CHANNEL_RENEW_BEFORE_SECONDS.name(), Long.toString(sync.renewBefore().toSeconds()));
            }
        }
        env.putAll(overrides.getOrDefault(function.name(), Map.of()));
        return env;
    }

    /** Region, endpoint and dummy credentials of the local SQS. */
    private void putSqsAccess(Map<String, String> env) {
        env.put(AuditQueueSettings.Variable.AWS_REGION.name(), LocalSqs.REGION);
        env.put(AuditQueueSettings.Variable.AWS_ENDPOINT_URL_SQS.name(), sqsEndpoint.toString());
        putCredentials(env);
    }

    /** The dummy credentials the local SQS and DynamoDB accept. */
    private static void putCredentials(Map<String, String> env) {
        env.put(AuditQueueSettings.Variable.AWS_ACCESS_KEY_ID.name(), LocalSqs.ACCESS_KEY_ID);
        env.put(AuditQueueSettings.Variable.AWS_SECRET_ACCESS_KEY.name(), LocalSqs.SECRET_ACCESS_KEY);
    }
}
