package dev.pipedesk.local;

import dev.pipedesk.auth.CorsSettings;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.core.Env;
import dev.pipedesk.localaws.SqsOptions;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.SyncSettings;

import java.io.PrintStream;
import dev.pipedesk.local.jwt.LocalJwtAlgorithm;
import dev.pipedesk.local.sqs.SqsEventSourceMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How to start the local stack.
 *
 * @param gatewayPort   the API's port on 127.0.0.1; 0 picks a free one
 * @param emulatorPort  the Google Calendar emulator's port; 0 picks a free one
 * @param database      an existing PostgreSQL, or null to start an embedded, throw-away one
 * @param jwtVariables  the {@code JWT_*} variables the authorizer gets (and tokens are issued
 *                      with; {@code JWT_HS256_SECRET}, {@code JWT_ISSUER} and {@code JWT_AUDIENCE}
 *                      are always present), plus {@code LOCAL_JWT_ALG}, how the stack's own tokens
 *                      are signed (always present; not passed to the authorizer)
 * @param logDir        each function logs to {@code <dir>/<function>.log}, the gateway to {@code <dir>/gateway.log};
 *                      null: {@code local/target/logs} in the checkout. The console shows the access log and
 *                      warnings only
 * @param functions     whether every function must be built, or only the built ones run
 * @param repoRoot      the checkout; null finds it from the working directory
 * @param functionEnvironment extra environment variables per function name (override the defaults)
 * @param sqs           the local SQS (ElasticMQ): port, the audit queue's visibility timeout, receive limit
 * @param scheduleRate  how often the scheduler invokes {@code channel-renewal} (the outbox relay); zero: only
 *                      on {@link LocalStack#runScheduledJobsNow()}
 * @param dynamoDbPort  the local DynamoDB (emulator) port on 127.0.0.1; 0 picks a free one
 * @param auditWriterPassword the password of the {@code pipedesk_audit_writer} role when the operator has set
 *                      one already; null: the stack generates one and grants it ({@code ALTER ROLE ... LOGIN})
 * @param timelineReaderPassword the same for the read-only {@code pipedesk_timeline_reader} role, which the
 *                      timeline function connects as
 * @param instances     how many instances (child JVMs) of each function may run at once, and in all
 * @param cors          the gateway's CORS configuration ({@code CORS_ALLOWED_ORIGINS}); none by default
 * @param sync          Google Calendar sync: the calendars, the backstop, renewal, the emulator's channel lifetime
 * @param auditBatching the audit queue's event source mapping: batch size and batching window
 * @param console       where progress, warnings, the access log and the banner go
 */
public record LocalStackOptions(int gatewayPort, int emulatorPort, DatabaseSettings database,
                                Map<String, String> jwtVariables, Path logDir, FunctionSelection functions,
                                Path repoRoot, Map<String, Map<String, String>> functionEnvironment,
                                SqsOptions sqs, Duration scheduleRate, String auditWriterPassword,
                                String timelineReaderPassword, FunctionInstances instances, CorsSettings cors,
                                int dynamoDbPort, Sync sync, AuditBatching auditBatching, PrintStream console) {

    /** The environment variables only the local stack reads. */
    public enum Variable {
        PORT, GOOGLE_EMULATOR_PORT, LOCAL_LOG_DIR, SQS_PORT, LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS, LOCAL_SCHEDULE_SECONDS,
        AUDIT_WRITER_DATABASE_PASSWORD, TIMELINE_READER_DATABASE_PASSWORD, LOCAL_JWT_ALG, LOCAL_FUNCTION_CONCURRENCY, LOCAL_MAX_FUNCTION_INSTANCES, DYNAMODB_PORT,
        GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS, LOCAL_AUDIT_BATCH_SIZE, LOCAL_AUDIT_BATCHING_WINDOW_MS
    }

    /**
     * The audit queue's event source mapping, as Lambda's {@code BatchSize} and
     * {@code MaximumBatchingWindowInSeconds}: up to {@code batchSize} messages per audit-writer
     * invocation, gathered from several receives (10 messages each at most) for up to
     * {@code window} after the first ones arrive. Checked as {@code SqsEventSourceMapping.Settings} checks them
     * (1..10,000; above 10 a window is needed; the window 0..300 s).
     *
     * @param batchSize {@code LOCAL_AUDIT_BATCH_SIZE}, default 10
     * @param window    {@code LOCAL_AUDIT_BATCHING_WINDOW_MS}, default 0: each receive is a batch
     */
    public record AuditBatching(int batchSize, Duration window) {
        public AuditBatching {
            Objects.requireNonNull(window, "window");
            int max = SqsEventSourceMapping.Settings.MAX_BATCH_SIZE;
            if (batchSize < 1 || batchSize > max) {
                throw new IllegalStateException("Environment variable " + Variable.LOCAL_AUDIT_BATCH_SIZE + " must be 1.." + max
                        + " (Lambda's limit for a standard queue), got " + batchSize);
            }
            if (window.isNegative() || window.compareTo(SqsEventSourceMapping.Settings.MAX_BATCHING_WINDOW) > 0) {
                throw new IllegalStateException("Environment variable " + Variable.LOCAL_AUDIT_BATCHING_WINDOW_MS
                        + " must be 0..300000 (Lambda's longest window, 300 s), got " + window.toMillis());
            }
            if (batchSize > SqsEventSourceMapping.Settings.MAX_RECEIVE && window.isZero()) {
                throw new IllegalStateException("Environment variable " + Variable.LOCAL_AUDIT_BATCH_SIZE + "=" + batchSize
                        + " needs " + Variable.LOCAL_AUDIT_BATCHING_WINDOW_MS + " above 0: as in Lambda, a batch larger than one"
                        + " receive (10 messages) is gathered over a batching window");
            }
        }

        /** Batch size 10, no window: one receive per invocation. */
        public static AuditBatching defaults() {
            return new AuditBatching(SqsEventSourceMapping.Settings.DEFAULT_BATCH_SIZE, Duration.ZERO);
        }

        static AuditBatching fromEnv(Env env) {
            return new AuditBatching(env.getInt(Variable.LOCAL_AUDIT_BATCH_SIZE.name(),
                    SqsEventSourceMapping.Settings.DEFAULT_BATCH_SIZE),
                    Duration.ofMillis(env.getInt(Variable.LOCAL_AUDIT_BATCHING_WINDOW_MS.name(), 0)));
        }
    }

    /** The sync variables of the functions ({@link SyncSettings.Variable}) the stack reads and passes on. */
    static final List<String> SYNC_VARIABLES = Env.names(new SyncSettings.Variable[]{SyncSettings.Variable.GOOGLE_SYNC_CALENDARS,
            SyncSettings.Variable.SYNC_BACKSTOP_SECONDS, SyncSettings.Variable.CHANNEL_RENEW_BEFORE_SECONDS});

    /**
     * Google Calendar sync in the local stack.
     *
     * @param calendars     {@code GOOGLE_SYNC_CALENDARS} as set (passed to the functions); empty: unset, the
     *                      functions then sync the writable calendars ({@code primary} locally)
     * @param backstop      {@code SYNC_BACKSTOP_SECONDS} for channel-renewal: a calendar with no notification and no
     *                      sync for this long is synced by the scheduled run (30 s locally; 600 s is the functions' default)
     * @param renewBefore   {@code CHANNEL_RENEW_BEFORE_SECONDS} for channel-renewal when set; null: its default
     * @param maxChannelTtl {@code GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS}: the emulator clamps channel lifetimes to
     *                      it; null: the emulator's default (7 days)
     */
    public record Sync(List<String> calendars, Duration backstop, Duration renewBefore, Duration maxChannelTtl) {
        public static final Duration DEFAULT_BACKSTOP = Duration.ofSeconds(30);

        public Sync {
            calendars = List.copyOf(calendars);
            Objects.requireNonNull(backstop, "backstop");
            requirePositive(backstop, SyncSettings.Variable.SYNC_BACKSTOP_SECONDS.name());
            if (renewBefore != null) {
                requirePositive(renewBefore, SyncSettings.Variable.CHANNEL_RENEW_BEFORE_SECONDS.name());
            }
            if (maxChannelTtl != null) {
                requirePositive(maxChannelTtl, Variable.GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS.name());
            }
        }

        private static void requirePositive(Duration value, String variable) {
            if (value.isNegative() || value.isZero() || value.toMillis() % 1000 != 0) {
                throw new IllegalStateException("Environment variable " + variable + " must be a whole number of seconds, 1 or more,"
                        + " got " + value.toMillis() / 1000.0);
            }
        }

        /** Every calendar the functions default to, a 30 s backstop, the functions' renewal and the emulator's TTL. */
        public static Sync defaults() {
            return new Sync(List.of(), DEFAULT_BACKSTOP, null, null);
        }

        static Sync fromEnv(Env env) {
            List<String> calendars = env.optional(SyncSettings.Variable.GOOGLE_SYNC_CALENDARS.name())
                    .map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList())
                    .orElse(List.of());
            return new Sync(calendars,
                    Duration.ofSeconds(env.getInt(SyncSettings.Variable.SYNC_BACKSTOP_SECONDS.name(), (int) DEFAULT_BACKSTOP.toSeconds())),
                    seconds(env, SyncSettings.Variable.CHANNEL_RENEW_BEFORE_SECONDS.name()),
                    seconds(env, Variable.GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS.name()));
        }

        private static Duration seconds(Env env, String variable) {
            return env.optional(variable).isPresent() ? Duration.ofSeconds(env.getInt(variable, 0)) : null;
        }

        public Sync withBackstop(Duration value) {
            return new Sync(calendars, value, renewBefore, maxChannelTtl);
        }

        public Sync withCalendars(List<String> value) {
            return new Sync(value, backstop, renewBefore, maxChannelTtl);
        }

        public Sync withRenewBefore(Duration value) {
            return new Sync(calendars, backstop, value, maxChannelTtl);
        }

        public Sync withMaxChannelTtl(Duration value) {
            return new Sync(calendars, backstop, renewBefore, value);
        }
    }

    /**
     * Lambda runs many instances of a function at once; the local stack starts them on demand, as
     * Lambda does, up to {@code perFunction} per function and {@code total} in all (each function's
     * first instance always runs). With the heap per local instance capped
     * ({@link dev.pipedesk.local.lambda.FunctionSpec#MAX_LOCAL_HEAP_MB}) the defaults keep the child JVMs
     * within about 4 GB.
     */
    public record FunctionInstances(int perFunction, int total) {
        public static final int DEFAULT_PER_FUNCTION = 2;
        public static final int DEFAULT_TOTAL = 8;

        public FunctionInstances {
            if (perFunction < 1 || total < 1) {
                throw new IllegalStateException("Environment variables " + Variable.LOCAL_FUNCTION_CONCURRENCY + " and "
                        + Variable.LOCAL_MAX_FUNCTION_INSTANCES + " must be 1 or more, got " + perFunction + " and " + total);
            }
        }

        public static FunctionInstances defaults() {
            return new FunctionInstances(DEFAULT_PER_FUNCTION, DEFAULT_TOTAL);
        }
    }

    /**
     * Every variable {@link #fromEnv} reads: its own, the database's, the authorizer's {@code JWT_*},
     * {@code RATE_LIMIT_USER_PER_MINUTE} (passed on to the API functions) and the sync variables
     * {@code GOOGLE_SYNC_CALENDARS}, {@code SYNC_BACKSTOP_SECONDS}, {@code CHANNEL_RENEW_BEFORE_SECONDS}
     * (passed on to the sync functions).
     */
    public static final List<String> VARIABLES = Stream.of(Env.names(Variable.values()), DatabaseSettings.VARIABLES,
            JwtSettings.VARIABLES, CorsSettings.VARIABLES, List.of(RateLimitSettings.Variable.RATE_LIMIT_USER_PER_MINUTE.name()),
            SYNC_VARIABLES)
            .flatMap(List::stream).toList();

    public static final int DEFAULT_PORT = 3000;
    public static final int DEFAULT_EMULATOR_PORT = 3001;
    /** Printed in the banner as what it is: a development secret, never for a deployment. */
    public static final String LOCAL_JWT_SECRET = "pipedesk-local-dev-secret-change-me-0123456789abcdef";
    /** The local tokens' {@code iss} unless {@code JWT_ISSUER} says otherwise (a JWKS needs one). */
    public static final String LOCAL_JWT_ISSUER = "pipedesk-local";
    /** The local tokens' {@code aud} unless {@code JWT_AUDIENCE} says otherwise (Supabase's value). */
    public static final String LOCAL_JWT_AUDIENCE = "authenticated";
    /** The {@code JWT_*} variables read from the shell; {@code JWT_JWKS_URL} is always the stack's own. */
    private static final List<String> SHELL_JWT_VARIABLES = Stream.concat(
            JwtSettings.VARIABLES.stream().filter(name -> !name.equals(JwtSettings.Variable.JWT_JWKS_URL.name())),
            Stream.of(Variable.LOCAL_JWT_ALG.name())).toList();
    public static final Duration DEFAULT_SCHEDULE_RATE = Duration.ofSeconds(10);
    public static final int DEFAULT_DYNAMODB_PORT = 8000;
    /** The functions behind API routes: they count requests against the rate limit. */
    static final List<String> RATE_LIMITED_FUNCTIONS = List.of(LocalFunctions.CALENDAR.name(), LocalFunctions.TIMELINE.name());
    static final int TEST_VISIBILITY_TIMEOUT_SECONDS = 1;
    static final int TEST_SCHEDULE_SECONDS = 2;
    static final int TEST_BACKSTOP_SECONDS = 5;

    /** Which functions the stack runs. */
    public enum FunctionSelection {
        /** Every PipeDesk function; a missing build is an error ({@code ./pipedesk local}). */
        ALL,
        /** Those whose {@code target/lambda} exists; routes to the others answer 502 (tests). */
        BUILT,
        /**
         * None: the services only (database, SQS, DynamoDB, the emulator, the gateway), for a caller that
         * starts the functions itself with {@link LocalStack#functionEnvironment} (the cold-start benchmark).
         */
        NONE
    }

    public LocalStackOptions {
        if (gatewayPort < 0 || gatewayPort > 65535 || emulatorPort < 0 || emulatorPort > 65535
                || dynamoDbPort < 0 || dynamoDbPort > 65535) {
            throw new IllegalArgumentException("ports must be 0..65535");
        }
        Map<String, String> jwt = new TreeMap<>(jwtVariables);
        jwt.putIfAbsent(JwtSettings.Variable.JWT_HS256_SECRET.name(), LOCAL_JWT_SECRET);
        jwt.putIfAbsent(JwtSettings.Variable.JWT_ISSUER.name(), LOCAL_JWT_ISSUER);
        jwt.putIfAbsent(JwtSettings.Variable.JWT_AUDIENCE.name(), LOCAL_JWT_AUDIENCE);
        jwt.put(LocalJwtAlgorithm.VARIABLE, LocalJwtAlgorithm.parse(
                jwt.getOrDefault(LocalJwtAlgorithm.VARIABLE, LocalJwtAlgorithm.HS256.name())).name());
        jwtVariables = Map.copyOf(jwt);
        Objects.requireNonNull(functions, "functions");
        Map<String, Map<String, String>> extra = new LinkedHashMap<>();
        functionEnvironment.forEach((name, env) -> extra.put(name, Map.copyOf(env)));
        functionEnvironment = Map.copyOf(extra);
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(scheduleRate, "scheduleRate");
        if (scheduleRate.isNegative()) {
            throw new IllegalArgumentException("scheduleRate must not be negative");
        }
        Objects.requireNonNull(instances, "instances");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(auditBatching, "auditBatching");
        Objects.requireNonNull(console, "console");
    }

    /** Port 3000, emulator 3001, embedded PostgreSQL, the local JWT secret, every function, console logs. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(DEFAULT_PORT, DEFAULT_EMULATOR_PORT, null, Map.of(), null, FunctionSelection.ALL,
                null, Map.of(), SqsOptions.defaults(), DEFAULT_SCHEDULE_RATE, null, null,
                FunctionInstances.defaults(), CorsSettings.none(), DEFAULT_DYNAMODB_PORT, Sync.defaults(), AuditBatching.defaults(),
                System.out);
    }

    /**
     * Options from environment variables:
     * <ul>
     * <li>{@code PORT}: the API's port (default 3000)</li>
     * <li>{@code GOOGLE_EMULATOR_PORT}: the Google Calendar emulator's port (default 3001)</li>
     * <li>{@code DATABASE_URL} (+ {@code DATABASE_USER}, {@code DATABASE_PASSWORD}): use this
     *     PostgreSQL (migrated on start); unset starts an embedded one whose data is discarded on exit</li>
     * <li>{@code JWT_HS256_SECRET}: the token secret (default {@value #LOCAL_JWT_SECRET});
     *     {@code JWT_ISSUER} (default {@value #LOCAL_JWT_ISSUER}), {@code JWT_AUDIENCE} (default
     *     {@value #LOCAL_JWT_AUDIENCE}), {@code JWT_LEEWAY_SECONDS}, {@code JWT_ROLE_CLAIMS} are
     *     passed to the authorizer as well; {@code LOCAL_JWT_ALG}: {@code HS256} (default) or
     *     {@code ES256}, how the stack's own tokens are signed</li>
     * <li>{@code LOCAL_LOG_DIR}: where the logs go (default {@code local/target/logs})</li>
     * <li>{@code LOCAL_FUNCTION_CONCURRENCY}: instances per function (default 2);
     *     {@code LOCAL_MAX_FUNCTION_INSTANCES}: instances in all (default 8)</li>
     * <li>{@code CORS_ALLOWED_ORIGINS}: origins a browser front end may call the API from (default none)</li>
     * <li>{@code SQS_PORT}: the local SQS (ElasticMQ) port (default 9324)</li>
     * <li>{@code LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS}: the audit queue's visibility timeout (default 30)</li>
     * <li>{@code LOCAL_AUDIT_BATCH_SIZE}: messages per audit-writer invocation (default 10, up to 10,000);
     *     {@code LOCAL_AUDIT_BATCHING_WINDOW_MS}: how long the audit queue's mapping gathers a batch (default 0;
     *     needed above 10)</li>
     * <li>{@code LOCAL_SCHEDULE_SECONDS}: how often the scheduled functions run (default 10; 0: never)</li>
     * <li>{@code AUDIT_WRITER_DATABASE_PASSWORD}: the password the {@code pipedesk_audit_writer} role already
     *     has in {@code DATABASE_URL}'s database; unset: the stack sets a generated one</li>
     * <li>{@code TIMELINE_READER_DATABASE_PASSWORD}: the same for the read-only {@code pipedesk_timeline_reader}
     *     role (the timeline function's)</li>
     * <li>{@code DYNAMODB_PORT}: the local DynamoDB (emulator) port (default 8000)</li>
     * <li>{@code RATE_LIMIT_USER_PER_MINUTE}: passed to the API functions (default 600; 0: off)</li>
     * <li>{@code GOOGLE_SYNC_CALENDARS}: the calendars to sync, passed to the sync functions when set (default: the
     *     functions' own, the writable calendars)</li>
     * <li>{@code SYNC_BACKSTOP_SECONDS}: passed to channel-renewal (default 30 locally)</li>
     * <li>{@code CHANNEL_RENEW_BEFORE_SECONDS}: passed to channel-renewal when set</li>
     * <li>{@code GOOGLE_EMULATOR_MAX_CHANNEL_TTL_SECONDS}: the emulator's channel lifetime clamp (default 7 days)</li>
     * </ul>
     */
    public static LocalStackOptions fromEnv(Env env) {
        // Secrets Manager ARNs are for AWS: locally every secret is a plain value.
        Map<String, String> plainInstead = Map.of(
                DatabaseSettings.Variable.DATABASE_SECRET_ARN.name(), DatabaseSettings.Variable.DATABASE_URL.name(),
                JwtSettings.Variable.JWT_HS256_SECRET_ARN.name(), JwtSettings.Variable.JWT_HS256_SECRET.name());
        plainInstead.forEach((arnVariable, plain) -> {
            if (env.optional(arnVariable).isPresent()) {
                throw new IllegalStateException(arnVariable + " is for AWS (a Secrets Manager ARN): the local stack takes"
                        + " plain values; unset it (and set " + plain + " instead)");
            }
        });
        DatabaseSettings database = env.optional(DatabaseSettings.Variable.DATABASE_URL.name()).isPresent()
                ? DatabaseSettings.fromEnv(env) : null;
        Map<String, String> jwt = jwtVariablesFromEnv(env);
        int scheduleSeconds = env.getInt(Variable.LOCAL_SCHEDULE_SECONDS.name(), (int) DEFAULT_SCHEDULE_RATE.toSeconds());
        if (scheduleSeconds < 0) {
            throw new IllegalStateException("Environment variable " + Variable.LOCAL_SCHEDULE_SECONDS
                    + " must be 0 or more, got " + scheduleSeconds);
        }
        SqsOptions sqs = new SqsOptions(env.getInt(Variable.SQS_PORT.name(), SqsOptions.DEFAULT_PORT),
                Duration.ofSeconds(env.getInt(Variable.LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS.name(),
                        (int) SqsOptions.DEFAULT_VISIBILITY_TIMEOUT.toSeconds())),
                SqsOptions.DEFAULT_MAX_RECEIVE_COUNT);
        Map<String, Map<String, String>> functionEnvironment = new LinkedHashMap<>();
        String userLimit = RateLimitSettings.Variable.RATE_LIMIT_USER_PER_MINUTE.name();
        env.optional(userLimit).ifPresent(limit -> {
            RateLimitSettings.fromEnv(new Env(Map.of(userLimit, limit)));  // refuses a negative or non-integer limit now
            RATE_LIMITED_FUNCTIONS.forEach(function -> functionEnvironment.put(function, Map.of(userLimit, limit)));
        });
        return new LocalStackOptions(env.getInt(Variable.PORT.name(), DEFAULT_PORT),
                env.getInt(Variable.GOOGLE_EMULATOR_PORT.name(), DEFAULT_EMULATOR_PORT),
                database, jwt, env.optional(Variable.LOCAL_LOG_DIR.name()).map(Path::of).orElse(null), FunctionSelection.ALL,
                null, functionEnvironment, sqs, Duration.ofSeconds(scheduleSeconds),
                env.optional(Variable.AUDIT_WRITER_DATABASE_PASSWORD.name()).orElse(null),
                env.optional(Variable.TIMELINE_READER_DATABASE_PASSWORD.name()).orElse(null),
                new FunctionInstances(env.getInt(Variable.LOCAL_FUNCTION_CONCURRENCY.name(), FunctionInstances.DEFAULT_PER_FUNCTION),
                        env.getInt(Variable.LOCAL_MAX_FUNCTION_INSTANCES.name(), FunctionInstances.DEFAULT_TOTAL)),
                CorsSettings.fromEnv(env), env.getInt(Variable.DYNAMODB_PORT.name(), DEFAULT_DYNAMODB_PORT), Sync.fromEnv(env),
                AuditBatching.fromEnv(env), System.out);
    }

    /**
     * For tests: free ports (SQS and DynamoDB included), only the built functions, logs in {@code logDir}; the
     * audit queue's visibility timeout is {@value #TEST_VISIBILITY_TIMEOUT_SECONDS} s and the schedule
     * fires every {@value #TEST_SCHEDULE_SECONDS} s, so retries and redrives to the DLQ take seconds; the
     * sync backstop ({@code SYNC_BACKSTOP_SECONDS}) is {@value #TEST_BACKSTOP_SECONDS} s, so a dropped
     * notification is caught within seconds too.
     */
    public static LocalStackOptions forTests(Path logDir) {
        LocalStackOptions options = defaults().withGatewayPort(0).withEmulatorPort(0).withDynamoDbPort(0)
                .withSqs(SqsOptions.defaults().withPort(0).withVisibilityTimeout(Duration.ofSeconds(TEST_VISIBILITY_TIMEOUT_SECONDS)))
                .withScheduleRate(Duration.ofSeconds(TEST_SCHEDULE_SECONDS))
                .withFunctions(FunctionSelection.BUILT).withLogDir(logDir);
        return options.withSync(options.sync().withBackstop(Duration.ofSeconds(TEST_BACKSTOP_SECONDS)));
    }

    /** The token variables of the shell ({@code JWT_*} but {@code JWT_JWKS_URL}, and {@code LOCAL_JWT_ALG}), set ones only. */
    public static Map<String, String> jwtVariablesFromEnv(Env env) {
        Map<String, String> jwt = new TreeMap<>();
        for (String name : SHELL_JWT_VARIABLES) {
            env.optional(name).ifPresent(value -> jwt.put(name, value));
        }
        return jwt;
    }

    /** How the stack's own tokens are signed ({@code LOCAL_JWT_ALG}). */
    public LocalJwtAlgorithm jwtAlgorithm() {
        return LocalJwtAlgorithm.valueOf(jwtVariables.get(LocalJwtAlgorithm.VARIABLE));
    }

    /** The authorizer's {@code JWT_*} variables: {@link #jwtVariables()} without {@code LOCAL_JWT_ALG}. */
    public Map<String, String> authorizerJwtVariables() {
        Map<String, String> jwt = new TreeMap<>(jwtVariables);
        jwt.remove(LocalJwtAlgorithm.VARIABLE);
        return jwt;
    }

    public String jwtSecret() {
        return jwtVariables.get(JwtSettings.Variable.JWT_HS256_SECRET.name());
    }

    public boolean isDefaultJwtSecret() {
        return LOCAL_JWT_SECRET.equals(jwtSecret());
    }

    public LocalStackOptions withGatewayPort(int port) {
        return with(copy -> copy.gatewayPort = port);
    }

    public LocalStackOptions withEmulatorPort(int port) {
        return with(copy -> copy.emulatorPort = port);
    }

    public LocalStackOptions withDatabase(DatabaseSettings settings) {
        return with(copy -> copy.database = settings);
    }

    public LocalStackOptions withJwtSecret(String secret) {
        Map<String, String> jwt = new TreeMap<>(jwtVariables);
        jwt.put(JwtSettings.Variable.JWT_HS256_SECRET.name(), secret);
        return with(copy -> copy.jwtVariables = jwt);
    }

    /** Replaces the token variables (the defaults fill in what {@code variables} leaves out). */
    public LocalStackOptions withJwtVariables(Map<String, String> variables) {
        return with(copy -> copy.jwtVariables = variables);
    }

    public LocalStackOptions withJwtAlgorithm(LocalJwtAlgorithm algorithm) {
        Map<String, String> jwt = new TreeMap<>(jwtVariables);
        jwt.put(LocalJwtAlgorithm.VARIABLE, algorithm.name());
        return with(copy -> copy.jwtVariables = jwt);
    }

    public LocalStackOptions withLogDir(Path dir) {
        return with(copy -> copy.logDir = dir);
    }

    public LocalStackOptions withFunctions(FunctionSelection selection) {
        return with(copy -> copy.functions = selection);
    }

    public LocalStackOptions withRepoRoot(Path root) {
        return with(copy -> copy.repoRoot = root);
    }

    /** Adds (or overrides) environment variables of one function, e.g. shorter retry delays in tests. */
    public LocalStackOptions withFunctionEnvironment(String function, Map<String, String> variables) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>(functionEnvironment);
        Map<String, String> merged = new LinkedHashMap<>(all.getOrDefault(function, Map.of()));
        merged.putAll(variables);
        all.put(function, merged);
        return with(copy -> copy.functionEnvironment = all);
    }

    public LocalStackOptions withSqs(SqsOptions value) {
        return with(copy -> copy.sqs = value);
    }

    /** How often the scheduled functions run; zero: only on {@link LocalStack#runScheduledJobsNow()}. */
    public LocalStackOptions withScheduleRate(Duration value) {
        return with(copy -> copy.scheduleRate = value);
    }

    public LocalStackOptions withDynamoDbPort(int port) {
        return with(copy -> copy.dynamoDbPort = port);
    }

    public LocalStackOptions withSync(Sync value) {
        return with(copy -> copy.sync = value);
    }

    public LocalStackOptions withAuditBatching(AuditBatching value) {
        return with(copy -> copy.auditBatching = value);
    }

    /** Never prints the JWT secret, other {@code JWT_*} values or the function roles' passwords. */
    @Override
    public String toString() {
        return "LocalStackOptions[gatewayPort=" + gatewayPort + ", emulatorPort=" + emulatorPort + ", database="
                + (database == null ? "embedded" : database) + ", jwtVariables=" + jwtVariables.keySet() + ", logDir=" + logDir
                + ", functions=" + functions + ", repoRoot=" + repoRoot + ", functionEnvironment="
                + functionEnvironment.keySet() + ", sqs=" + sqs + ", scheduleRate=" + scheduleRate
                + ", auditWriterPassword=" + (auditWriterPassword == null ? "generated" : "(set)")
                + ", timelineReaderPassword=" + (timelineReaderPassword == null ? "generated" : "(set)") + ", instances=" + instances
                + ", cors=" + cors + ", dynamoDbPort=" + dynamoDbPort + ", sync=" + sync + ", auditBatching=" + auditBatching + "]";
    }

    public LocalStackOptions withInstances(FunctionInstances value) {
        return with(copy -> copy.instances = value);
    }

    public LocalStackOptions withCors(CorsSettings value) {
        return with(copy -> copy.cors = value);
    }

    public LocalStackOptions withConsole(PrintStream out) {
        return with(copy -> copy.console = out);
    }

    /** A copy of these options with {@code change} applied (validated like any new options). */
    private LocalStackOptions with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The mutable working copy behind the {@code with...} methods. */
    private static final class Copy {
        int gatewayPort;
        int emulatorPort;
        DatabaseSettings database;
        Map<String, String> jwtVariables;
        Path logDir;
        FunctionSelection functions;
        Path repoRoot;
        Map<String, Map<String, String>> functionEnvironment;
        SqsOptions sqs;
        Duration scheduleRate;
        String auditWriterPassword;
        String timelineReaderPassword;
        FunctionInstances instances;
        CorsSettings cors;
        int dynamoDbPort;
        Sync sync;
        AuditBatching auditBatching;
        PrintStream console;

        Copy(LocalStackOptions o) {
            gatewayPort = o.gatewayPort;
            emulatorPort = o.emulatorPort;
            database = o.database;
            jwtVariables = o.jwtVariables;
            logDir = o.logDir;
            functions = o.functions;
            repoRoot = o.repoRoot;
            functionEnvironment = o.functionEnvironment;
            sqs = o.sqs;
            scheduleRate = o.scheduleRate;
            auditWriterPassword = o.auditWriterPassword;
            timelineReaderPassword = o.timelineReaderPassword;
            instances = o.instances;
            cors = o.cors;
            dynamoDbPort = o.dynamoDbPort;
            sync = o.sync;
            auditBatching = o.auditBatching;
            console = o.console;
        }

        LocalStackOptions build() {
            return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, functions, repoRoot,
                    functionEnvironment, sqs, scheduleRate, auditWriterPassword, timelineReaderPassword, instances, cors, dynamoDbPort,
                    sync, auditBatching, console);
        }
    }
}
