package dev.pipedesk.local;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Es256KeyPair;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.TokenIssuer;
import dev.pipedesk.core.Env;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.dynamodb.DynamoDbEmulator;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.local.gateway.LocalApiGateway;
import dev.pipedesk.local.gateway.RouteTable;
import dev.pipedesk.local.gateway.ScheduledInvoker;
import dev.pipedesk.local.jwt.LocalJwks;
import dev.pipedesk.local.jwt.LocalJwtAlgorithm;
import dev.pipedesk.local.jwt.LocalTokens;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.FunctionSpec;
import dev.pipedesk.local.lambda.InstanceBudget;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.local.schedule.LocalScheduler;
import dev.pipedesk.local.sqs.SqsEventSourceMapping;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.migrations.Migrations;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.state.RateLimitTable;
import dev.pipedesk.sync.SyncSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * PipeDesk on one machine: PostgreSQL (embedded or {@code DATABASE_URL}), migrated; SQS
 * (ElasticMQ) with the audit queue, the FIFO calendar sync queue and their dead-letter queues;
 * DynamoDB (an in-process emulator) with the rate-limit table; the Google Calendar emulator;
 * every function in a JVM of its own behind its real Lambda handler; the SQS event source
 * mappings that feed the audit queue to {@code audit-writer} and the sync queue to
 * {@code calendar-sync} (per-calendar order); the schedule that runs {@code channel-renewal}; and
 * a local API Gateway (routes, Lambda authorizer, payload 2.0) in front, which is also the
 * address Google's (the emulator's) push notifications go to.
 *
 * <p>{@code ./pipedesk local} runs {@link #main}; configuration comes from the environment
 * variables documented on {@link LocalStackOptions#fromEnv}. Tests use
 * {@link #start(LocalStackOptions)} and the accessors, then {@link #close()}.
 */
public final class LocalStack implements AutoCloseable {
    /** Tokens in the banner are valid this long. */
    public static final Duration BANNER_TOKEN_TTL = LocalTokens.TOKEN_TTL;
    /** The Workspace user the calendar function impersonates (domain-wide delegation) locally. */
    public static final String LOCAL_CALENDAR_USER = "calendar@pipedesk.local";
    /** The service account the functions authenticate as against the emulator. */
    public static final String LOCAL_SERVICE_ACCOUNT = "pipedesk-local@pipedesk-local.iam.gserviceaccount.com";
    private static final String EMBEDDED_DATABASE = "pipedesk";
    /** The audit-writer's database role (INSERT on audit_logs only); created NOLOGIN by the migrations. */
    public static final String AUDIT_WRITER_ROLE = "pipedesk_audit_writer";
    /** The timeline function's database role (SELECT on its three sources only); created NOLOGIN by the migrations. */
    public static final String TIMELINE_READER_ROLE = "pipedesk_timeline_reader";
    /** The schedule rule that invokes channel-renewal (as named in the {@code resources} of its events). */
    public static final String CHANNEL_RENEWAL_RULE = LocalFunctions.CHANNEL_RENEWAL_RULE;

    private final LocalStackOptions options;
    private final PrintStream console;
    private final Path repoRoot;
    private final Map<String, FunctionProcess> functions = new ConcurrentHashMap<>();
    private final List<String> notRunning = new ArrayList<>();
    private volatile boolean closed;
    private EmbeddedPostgres embeddedPostgres;
    private DatabaseSettings databaseSettings;
    private HikariDataSource dataSource;
    private int migrationsApplied;
    private GoogleCalendarEmulator emulator;
    private DatabaseSettings auditWriterDatabase;
    private String auditWriterWarning;
    private DatabaseSettings timelineReaderDatabase;
    private String timelineReaderWarning;
    private LocalSqs sqs;
    private DynamoDbEmulator dynamoDb;
    /** The event source mappings by queue name, for the functions that run. */
    private final Map<String, SqsEventSourceMapping> pollers = new ConcurrentHashMap<>();
    private volatile LocalScheduler scheduler;
    private FunctionEnvironments functionEnvironments;
    private LocalApiGateway gateway;
    private JwtSettings jwtSettings;
    private LocalJwks jwks;
    private LocalTokens tokens;
    private long startMillis;

    private LocalStack(LocalStackOptions options) {
        this.options = options;
        this.console = options.console();
        this.repoRoot = options.repoRoot() != null ? options.repoRoot().toAbsolutePath().normalize() : RepoRoot.locate();
    }

    /**
     * Starts everything in order (database, migrations, emulator, functions in parallel,
     * gateway) and returns when the API answers. On failure everything started is stopped again.
     *
     * @throws LocalStackException with a message saying what is wrong and what to do
     */
    public static LocalStack start(LocalStackOptions options) {
        System.setProperty(LocalApiGateway.NODELAY_PROPERTY, "true");
        Banner.quietLibraryLogging();
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e instanceof LocalStackException ? e : new LocalStackException(e.getMessage(), e);
        }
    }

    // --- accessors ---------------------------------------------------------------------------

    /** e.g. {@code http://127.0.0.1:3000} (no trailing slash). */
    public URI apiBaseUrl() {
        return gateway.baseUrl();
    }

    public URI healthUrl() {
        return URI.create(apiBaseUrl() + ApiRoute.HEALTH.pathTemplate());
    }

    public URI openApiUrl() {
        return URI.create(apiBaseUrl() + ApiRoute.OPENAPI_DOCUMENT.pathTemplate());
    }

    /** The API reference page (Swagger UI over {@link #openApiUrl()}). */
    public URI apiReferenceUrl() {
        return URI.create(apiBaseUrl() + ApiRoute.API_REFERENCE.pathTemplate());
    }

    /** The running emulator (in this JVM): inspect calls, edit events as "Google", inject failures. */
    public GoogleCalendarEmulator emulator() {
        return emulator;
    }

    /** A pool on the stack's database (the same one the functions use). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The database the functions are configured with (JDBC URL, user, password). */
    public DatabaseSettings databaseSettings() {
        return databaseSettings;
    }

    /**
     * The Lambda environment the stack gives that function (or would give it, when it does not run it): what a
     * caller that starts the function itself passes ({@link LocalStackOptions.FunctionSelection#NONE}).
     */
    public Map<String, String> functionEnvironment(LocalFunctions.Definition function) {
        return Map.copyOf(environmentOf(function));
    }

    /** The authorizer's settings: the HS256 secret and the local JWKS URL, issuer, audience, leeway, role claims. */
    public JwtSettings jwtSettings() {
        return jwtSettings;
    }

    /** The local identity provider's JWKS (the public half of the local ES256 key), which the authorizer reads. */
    public URI jwksUrl() {
        return jwks.url();
    }

    /** Where the local ES256 private key is kept (created on the first start, reused after). */
    public Path signingKeyFile() {
        return LocalTokens.keyFile(repoRoot);
    }

    /** The local ES256 key's {@code kid} (its RFC 7638 thumbprint). */
    public String signingKeyId() {
        return tokens.key().keyId();
    }

    /** Issues tokens signed either way, whatever {@code LOCAL_JWT_ALG} says; the authorizer accepts both. */
    public TokenIssuer tokenIssuer(LocalJwtAlgorithm algorithm) {
        return tokens.issuer(algorithm);
    }

    /**
     * The local SQS: queue URLs ({@link LocalSqs#auditQueueUrl()}, {@link LocalSqs#deadLetterQueueUrl()},
     * {@link LocalSqs#syncQueueUrl()}, {@link LocalSqs#syncDeadLetterQueueUrl()}),
     * message counts ({@link LocalSqs#auditQueueDepth()}, {@link LocalSqs#deadLetterQueueDepth()}), an SDK
     * client, and {@link LocalSqs#stop()} / {@link LocalSqs#start()} to simulate an SQS outage (same port;
     * queues and messages are kept).
     */
    public LocalSqs sqs() {
        return sqs;
    }

    /** The local DynamoDB (in this JVM), holding the rate-limit table {@value RateLimitTable#LOCAL_NAME}. */
    public DynamoDbEmulator dynamoDb() {
        return dynamoDb;
    }

    /** What the API functions are configured with: the local table, its endpoint, the per-user limit. */
    public RateLimitSettings rateLimitSettings() {
        Map<String, String> env = new LinkedHashMap<>(new RateLimitSettings(RateLimitTable.LOCAL_NAME,
                RateLimitSettings.DEFAULT_USER_LIMIT_PER_MINUTE, RateLimitSettings.DEFAULT_IP_LIMIT_PER_MINUTE,
                LocalSqs.REGION, dynamoDb.endpoint()).toEnvironment());
        env.putAll(options.functionEnvironment().getOrDefault(LocalFunctions.CALENDAR.name(), Map.of()));
        return RateLimitSettings.fromEnv(new Env(env));
    }

    /** The event source mapping feeding the audit queue to audit-writer; empty when audit-writer is not running. */
    public Optional<SqsEventSourceMapping> auditQueuePoller() {
        return Optional.ofNullable(pollers.get(LocalSqs.AUDIT_QUEUE));
    }

    /**
     * The event source mapping feeding the FIFO sync queue to calendar-sync, one calendar (message
     * group) at a time; empty when calendar-sync is not running.
     */
    public Optional<SqsEventSourceMapping> syncQueuePoller() {
        return Optional.ofNullable(pollers.get(LocalSqs.SYNC_QUEUE));
    }

    /** Where watch channels post Google's notifications: the gateway's own {@code /webhooks/google-calendar}. */
    public URI webhookUrl() {
        return URI.create(apiBaseUrl() + SyncSettings.WEBHOOK_PATH);
    }

    /**
     * The sync settings as channel-renewal reads them from its environment: the calendars it keeps in
     * sync ({@code GOOGLE_SYNC_CALENDARS}, or the writable calendars), the webhook address, the backstop.
     */
    public SyncSettings syncSettings() {
        return SyncSettings.fromEnv(new Env(functionEnvironments().of(LocalFunctions.CHANNEL_RENEWAL)));
    }

    /** How the audit-writer connects: {@value #AUDIT_WRITER_ROLE} (INSERT only), or the stack's user when that role could not be enabled. */
    public DatabaseSettings auditWriterDatabaseSettings() {
        return auditWriterDatabase;
    }

    /** How the timeline function connects: {@value #TIMELINE_READER_ROLE} (read-only), or the stack's user when that role could not be enabled. */
    public DatabaseSettings timelineReaderDatabaseSettings() {
        return timelineReaderDatabase;
    }

    /**
     * Runs every scheduled function once now (channel-renewal: channel renewal, the backstop sync
     * and the audit outbox relay), synchronously, besides the fixed-rate schedule.
     *
     * @return each function's output by function name; empty when no scheduled function is running
     * @throws FunctionInvocationException when a scheduled function fails
     */
    public Map<String, String> runScheduledJobsNow() throws FunctionInvocationException {
        LocalScheduler current = scheduler;
        return current == null ? Map.of() : current.runNow();
    }

    /**
     * What {@code POST /_local/functions/{name}/invoke} runs: the function a schedule invokes, once,
     * now, with the Scheduled Event of its rule.
     */
    ScheduledInvoker.Outcome invokeScheduled(String name) throws FunctionInvocationException {
        Optional<LocalFunctions.Definition> function = LocalFunctions.named(name);
        if (function.isEmpty()) {
            return new ScheduledInvoker.UnknownFunction(LocalFunctions.ALL.stream().map(LocalFunctions.Definition::name).toList());
        }
        if (LocalFunctions.scheduleOf(name).isEmpty()) {
            return new ScheduledInvoker.NotScheduled(LocalFunctions.triggerOf(function.get()),
                    LocalFunctions.SCHEDULE.stream().map(rule -> rule.function().name()).toList());
        }
        LocalScheduler current = scheduler;
        if (current == null || !current.functionNames().contains(name)) {
            return new ScheduledInvoker.NotRunning();
        }
        return new ScheduledInvoker.Ran(current.runNow(name));
    }

    public Path repoRoot() {
        return repoRoot;
    }

    /** The names of the functions running, e.g. {@code [authorizer, calendar]}. */
    public List<String> runningFunctions() {
        return functions.keySet().stream().sorted().toList();
    }

    public boolean isRunning(String function) {
        return functions.containsKey(function);
    }

    /** A running function's process, e.g. to invoke it with a non-HTTP event. */
    public Optional<FunctionProcess> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    /** Where a function's (or the gateway's) log goes. */
    public Optional<Path> logFile(String function) {
        return Optional.of(logDir().resolve(function + ".log"));
    }

    /**
     * A bearer token (without the {@code Bearer } prefix) valid for 12 h, email
     * {@code <userId>@pipedesk.local}, signed as {@code LOCAL_JWT_ALG} says (HS256 by default).
     */
    public String token(Role role, String userId) {
        return token(role, userId, userId + "@pipedesk.local");
    }

    public String token(Role role, String userId, String email) {
        return tokens.issuer().issue(userId, email, role.wire(), BANNER_TOKEN_TTL);
    }

    /** For tests of the authorizer: any role claim (also unknown ones) and any lifetime. */
    public String token(String rawRole, String userId, String email, Duration ttl) {
        return tokens.issuer().issue(userId, email, rawRole, ttl);
    }

    // --- start -------------------------------------------------------------------------------

    private void startAll() {
        startMillis = System.currentTimeMillis();
        List<LocalFunctions.Definition> selected = selectFunctions();
        requireFreePort(options.gatewayPort(), LocalStackOptions.Variable.PORT.name(), "The API gateway");
        requireFreePort(options.emulatorPort(), LocalStackOptions.Variable.GOOGLE_EMULATOR_PORT.name(), "The Google Calendar emulator");
        requireFreePort(options.sqs().port(), LocalStackOptions.Variable.SQS_PORT.name(), "SQS (ElasticMQ)");
        requireFreePort(options.dynamoDbPort(), LocalStackOptions.Variable.DYNAMODB_PORT.name(), "DynamoDB");
        startTokens();
        startDatabase();
        enableFunctionRoles();
        startSqs();
        startDynamoDb();
        startEmulator();
        // Before the functions: its address (a free port in tests) is where their channels post notifications.
        startGateway(selected);
        startFunctions(selected);
        startEventSources();
    }

    private List<LocalFunctions.Definition> selectFunctions() {
        List<LocalFunctions.Definition> built = new ArrayList<>();
        for (LocalFunctions.Definition function : LocalFunctions.ALL) {
            if (options.functions() == LocalStackOptions.FunctionSelection.NONE) {
                notRunning.add(function.name());
            } else if (function.isBuilt(repoRoot)) {
                built.add(function);
            } else if (options.functions() == LocalStackOptions.FunctionSelection.ALL) {
                Path lib = repoRoot.relativize(function.lambdaLib(repoRoot));
                throw new LocalStackException("The " + function.name() + " function is not built: " + lib
                        + (java.nio.file.Files.isDirectory(function.lambdaLib(repoRoot))
                                ? " holds no " + function.mainClass() + "." : " is missing.")
                        + " Run ./pipedesk build.");
            } else {
                notRunning.add(function.name());
            }
        }
        return built;
    }

    /** The local ES256 key (created once), its JWKS endpoint, the authorizer's settings and the token issuers. */
    private void startTokens() {
        Es256KeyPair key = LocalTokens.loadOrCreateKey(signingKeyFile());
        try {
            jwks = LocalJwks.start(key);
        } catch (IOException e) {
            throw new LocalStackException("The local JWKS endpoint could not start: " + e.getMessage(), e);
        }
        try {
            jwtSettings = JwtSettings.fromEnv(new Env(authorizerJwtEnvironment()));
        } catch (IllegalStateException e) {
            throw new LocalStackException("Invalid token configuration: " + e.getMessage(), e);
        }
        tokens = new LocalTokens(jwtSettings, key, options.jwtAlgorithm(), Clock.systemUTC());
    }

    /** The authorizer's {@code JWT_*} variables: the options' plus {@code JWT_JWKS_URL}, the local JWKS. */
    private Map<String, String> authorizerJwtEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(options.authorizerJwtVariables());
        env.put(JwtSettings.Variable.JWT_JWKS_URL.name(), jwks.url().toString());
        return env;
    }

    private void startDatabase() {
        checkNotClosed();
        if (options.database() == null) {
            console.println("PostgreSQL: starting an embedded server (data is discarded on exit)...");
            try {
                embeddedPostgres = EmbeddedPostgres.builder().start();
                try (Connection connection = embeddedPostgres.getPostgresDatabase().getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
                }
            } catch (IOException | SQLException e) {
                throw new LocalStackException("The embedded PostgreSQL could not start: " + e.getMessage()
                        + ". Set DATABASE_URL to use an existing PostgreSQL instead.", e);
            }
            databaseSettings = new DatabaseSettings("jdbc:postgresql://localhost:" + embeddedPostgres.getPort() + "/"
                    + EMBEDDED_DATABASE, "postgres", "postgres", DatabaseSettings.DEFAULT_POOL_SIZE);
        } else {
            databaseSettings = options.database();
            console.println("PostgreSQL: using " + databaseSettings.jdbcUrl());
        }
        dataSource = Databases.create(new DatabaseSettings(databaseSettings.jdbcUrl(), databaseSettings.user(),
                databaseSettings.password(), 4));
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new LocalStackException("Cannot connect to PostgreSQL at " + databaseSettings.jdbcUrl() + ": "
                    + rootMessage(e), e);
        }
        try {
            migrationsApplied = Migrations.migrate(dataSource);
        } catch (RuntimeException e) {
            throw new LocalStackException("The database migrations failed: " + e.getMessage(), e);
        }
        console.println("PostgreSQL: ready, " + migrationsApplied + " migration(s) applied");
    }

    /**
     * The functions that connect with a role of their own: the audit-writer as
     * {@value #AUDIT_WRITER_ROLE}, which may only INSERT into audit_logs, and the timeline function as
     * {@value #TIMELINE_READER_ROLE}, which may only read its three sources. The migrations create
     * them without login; here each gets a login and a fresh password (or the one its
     * {@code *_DATABASE_PASSWORD} variable gives). When {@code DATABASE_URL}'s user may not do that,
     * the function falls back to that user, and the console and the banner say so.
     */
    private void enableFunctionRoles() {
        RoleLogin writer = enableRoleLogin(AUDIT_WRITER_ROLE, "the audit-writer", "INSERT-only",
                LocalStackOptions.Variable.AUDIT_WRITER_DATABASE_PASSWORD, options.auditWriterPassword());
        auditWriterDatabase = writer.settings();
        auditWriterWarning = writer.warning();
        RoleLogin reader = enableRoleLogin(TIMELINE_READER_ROLE, "the timeline function", "read-only",
                LocalStackOptions.Variable.TIMELINE_READER_DATABASE_PASSWORD, options.timelineReaderPassword());
        timelineReaderDatabase = reader.settings();
        timelineReaderWarning = reader.warning();
    }

    /** How a function connects, and why not as its own role when it cannot (else null). */
    private record RoleLogin(DatabaseSettings settings, String warning) {
    }

    private RoleLogin enableRoleLogin(String role, String who, String what, LocalStackOptions.Variable passwordVariable,
                                      String givenPassword) {
        checkNotClosed();
        if (givenPassword != null) {
            console.println("PostgreSQL: " + who + " connects as " + role + " (password from " + passwordVariable + ")");
            return new RoleLogin(new DatabaseSettings(databaseSettings.jdbcUrl(), role, givenPassword,
                    DatabaseSettings.DEFAULT_POOL_SIZE), null);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // The password is base64url (no quotes); ALTER ROLE takes no bind parameters.
            statement.execute("alter role " + role + " login password '" + password + "'");
            return new RoleLogin(new DatabaseSettings(databaseSettings.jdbcUrl(), role, password,
                    DatabaseSettings.DEFAULT_POOL_SIZE), null);
        } catch (SQLException e) {
            if (embeddedPostgres != null) {
                throw new LocalStackException("Cannot enable login for the " + role + " role: " + rootMessage(e), e);
            }
            String warning = who + " connects as " + databaseSettings.user() + ", NOT as the " + what + " " + role
                    + " role: this user may not enable that role's login (" + e.getMessage() + "). As a role admin run "
                    + "ALTER ROLE " + role + " LOGIN PASSWORD '...'; and set " + passwordVariable + ".";
            console.println("PostgreSQL: WARNING: " + warning);
            return new RoleLogin(new DatabaseSettings(databaseSettings.jdbcUrl(), databaseSettings.user(),
                    databaseSettings.password(), DatabaseSettings.DEFAULT_POOL_SIZE), warning);
        }
    }

    private void startSqs() {
        checkNotClosed();
        try {
            sqs = LocalSqs.start(options.sqs());
        } catch (RuntimeException e) {
            throw portProblem(e, options.sqs().port(), LocalStackOptions.Variable.SQS_PORT.name(), "SQS (ElasticMQ)");
        }
        console.println("SQS (ElasticMQ): " + sqs.endpoint() + ", queues " + LocalSqs.AUDIT_QUEUE + " and "
                + LocalSqs.AUDIT_DLQ + ", " + LocalSqs.SYNC_QUEUE + " and " + LocalSqs.SYNC_DLQ + " (DLQs after "
                + options.sqs().maxReceiveCount() + " receives)");
    }

    /** DynamoDB (the emulator) and the rate-limit table, with TTL, created through the real SDK. */
    private void startDynamoDb() {
        checkNotClosed();
        try {
            dynamoDb = DynamoDbEmulator.start(options.dynamoDbPort());
        } catch (IOException e) {
            throw portProblem(e, options.dynamoDbPort(), LocalStackOptions.Variable.DYNAMODB_PORT.name(), "DynamoDB");
        }
        try (var client = DynamoDbRateLimiter.client(rateLimitSettings(), Duration.ofSeconds(10),
                DynamoDbRateLimiter.dummyCredentials())) {
            RateLimitTable.create(client, RateLimitTable.LOCAL_NAME);
        }
        console.println("DynamoDB (emulator): " + dynamoDb.endpoint() + ", table " + RateLimitTable.LOCAL_NAME
                + " (rate limits, TTL on " + RateLimitTable.EXPIRES_AT + ")");
    }

    /**
     * Audit queue → audit-writer and sync queue → calendar-sync (event source mappings; the FIFO one
     * keeps each calendar's requests in order), schedule → channel-renewal; only for running functions.
     */
    private void startEventSources() {
        checkNotClosed();
        for (LocalFunctions.QueueTrigger trigger : LocalFunctions.QUEUE_TRIGGERS) {
            FunctionProcess function = functions.get(trigger.function().name());
            if (function == null) {
                console.println("SQS: " + trigger.function().name() + " is not running; nothing consumes " + trigger.queueName());
                continue;
            }
            String url = sqs.queueUrl(trigger.queueName());
            String arn = LocalSqs.queueArn(trigger.queueName());
            SqsEventSourceMapping.Settings settings = trigger.fifo()
                    ? SqsEventSourceMapping.Settings.fifo(url, arn, LocalSqs.REGION, SqsEventSourceMapping.Fifo.of(
                            Math.min(options.instances().perFunction(), 10), options.sqs().visibilityTimeout()))
                    : SqsEventSourceMapping.Settings.of(url, arn, LocalSqs.REGION)
                            .withBatching(options.auditBatching().batchSize(), options.auditBatching().window());
            SqsEventSourceMapping poller = SqsEventSourceMapping.start(sqs.client(), settings, function,
                    logSink(pollerLogName(trigger)));
            pollers.put(trigger.queueName(), poller);
            sqs.onStart(poller::wake);
        }
        List<LocalScheduler.Job> jobs = new ArrayList<>();
        for (LocalFunctions.ScheduleRule rule : LocalFunctions.SCHEDULE) {
            FunctionProcess function = functions.get(rule.function().name());
            if (function != null) {
                jobs.add(new LocalScheduler.Job(rule.ruleName(), function));
            }
        }
        scheduler = LocalScheduler.start(jobs, options.scheduleRate(), LocalSqs.REGION, LocalSqs.ACCOUNT_ID, logSink("scheduler"));
    }

    /** {@code sqs-poller} for the audit queue's mapping, {@code sqs-poller-<function>} for the others. */
    static String pollerLogName(LocalFunctions.QueueTrigger trigger) {
        return trigger.queueName().equals(LocalSqs.AUDIT_QUEUE) ? "sqs-poller" : "sqs-poller-" + trigger.function().name();
    }

    private void startEmulator() {
        checkNotClosed();
        EmulatorOptions emulatorOptions = EmulatorOptions.defaults()
                .withPort(options.emulatorPort())
                .withAllowHttpWebhooks(true);
        if (options.sync().maxChannelTtl() != null) {
            emulatorOptions = emulatorOptions.withMaxChannelTtl(options.sync().maxChannelTtl());
        }
        try {
            emulator = GoogleCalendarEmulator.start(emulatorOptions);
        } catch (RuntimeException e) {
            throw portProblem(e, options.emulatorPort(), LocalStackOptions.Variable.GOOGLE_EMULATOR_PORT.name(), "The Google Calendar emulator");
        }
        console.println("Google Calendar emulator: " + emulator.rootUrl());
    }

    private void startFunctions(List<LocalFunctions.Definition> selected) {
        checkNotClosed();
        console.println("Functions: starting " + selected.stream().map(LocalFunctions.Definition::name).toList()
                + " (each in its own JVM, cold start)...");
        InstanceBudget budget = InstanceBudget.of(options.instances().total());
        int perFunction = options.instances().perFunction();
        ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Map<String, Future<FunctionProcess>> starting = new LinkedHashMap<>();
            for (LocalFunctions.Definition function : selected) {
                FunctionSpec spec = FunctionSpec.springFunction(function.name(), function.lambdaLib(repoRoot),
                        function.mainClass(), environmentOf(function));
                starting.put(function.name(), starter.submit(() -> FunctionProcess.start(spec, functionLog(function.name()),
                        perFunction, budget)));
            }
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, Future<FunctionProcess>> entry : starting.entrySet()) {
                try {
                    functions.put(entry.getKey(), entry.getValue().get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failures.add(cause instanceof FunctionInvocationException ? cause.getMessage() : String.valueOf(cause));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalStackException("Interrupted while starting the functions");
                }
            }
            if (!failures.isEmpty()) {
                throw new LocalStackException(String.join(System.lineSeparator(), failures));
            }
        } finally {
            starter.shutdown();
        }
        functions.values().stream().sorted(java.util.Comparator.comparing(FunctionProcess::name)).forEach(f ->
                console.println("Functions: " + f.name() + " ready (pid " + f.pid() + ")"));
    }

    /** The function's configuration, as its Lambda environment variables. */
    private Map<String, String> environmentOf(LocalFunctions.Definition function) {
        return functionEnvironments().of(function);
    }

    /**
     * What the functions are configured with (see {@link FunctionEnvironments}); made once, when the
     * database, SQS, the emulator and the gateway run: one service-account key for every function
     * that calls Google.
     */
    synchronized FunctionEnvironments functionEnvironments() {
        if (functionEnvironments == null) {
            functionEnvironments = new FunctionEnvironments(databaseSettings, auditWriterDatabase, timelineReaderDatabase,
                    authorizerJwtEnvironment(),
                    FunctionEnvironments.googleEnvironment(emulator.serviceAccountKeyJson(LOCAL_SERVICE_ACCOUNT),
                            LOCAL_CALENDAR_USER, emulator.rootUrl()),
                    rateLimitSettings(), sqs.endpoint(), sqs.auditQueueUrl(), sqs.syncQueueUrl(), apiBaseUrl(), options.sync(),
                    options.functionEnvironment());
        }
        return functionEnvironments;
    }

    /** A function's log: everything (START/END/REPORT included) to its file, warnings also to the console. */
    private LogSink functionLog(String name) {
        return LogSink.fileAndConsole(name, logDir(), console, LogSink.WARNINGS);
    }

    /** The gateway's access log, the poller's and the scheduler's news: to the console and to the file. */
    private LogSink logSink(String name) {
        return LogSink.fileAndConsole(name, logDir(), console, line -> true);
    }

    /** {@link LocalStackOptions#logDir()}, or {@code local/target/logs} in the checkout. */
    public Path logDir() {
        return options.logDir() != null ? options.logDir() : repoRoot.resolve("local").resolve("target").resolve("logs");
    }

    /** The gateway, with a health check per function to start ({@code starting} until it runs). */
    private void startGateway(List<LocalFunctions.Definition> selected) {
        checkNotClosed();
        List<LocalApiGateway.HealthCheck> checks = new ArrayList<>();
        checks.add(new LocalApiGateway.HealthCheck("database", this::databaseStatus));
        checks.add(new LocalApiGateway.HealthCheck("google-calendar-emulator", this::emulatorStatus));
        checks.add(new LocalApiGateway.HealthCheck("sqs", () -> sqs.status()));
        checks.add(new LocalApiGateway.HealthCheck("dynamodb", () -> reachable(dynamoDb.endpoint())));
        for (LocalFunctions.Definition function : selected) {
            String name = function.name();
            checks.add(new LocalApiGateway.HealthCheck("function:" + name, () -> {
                FunctionProcess process = functions.get(name);
                return process == null ? (closed ? "stopped" : "starting") : process.isUp() ? "up" : process.status();
            }));
        }
        try {
            gateway = LocalApiGateway.start(options.gatewayPort(), new RouteTable(LocalFunctions.ROUTES),
                    name -> (LambdaFunction) functions.get(name), checks,
                    repoRoot.resolve("docs").resolve("api").resolve("openapi.yaml"), logSink("gateway"), options.cors(),
                    this::invokeScheduled);
        } catch (IOException e) {
            throw portProblem(e, options.gatewayPort(), LocalStackOptions.Variable.PORT.name(), "The API gateway");
        }
    }

    private String databaseStatus() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2) ? "up" : "down: the connection is not valid";
        } catch (SQLException e) {
            return "down: " + e.getMessage();
        }
    }

    private String emulatorStatus() {
        return reachable(emulator.rootUrl());
    }

    /** {@code up} when something listens at the URL's host and port, else why not. */
    private static String reachable(URI root) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(root.getHost(), root.getPort()), 1_000);
            return "up";
        } catch (IOException e) {
            return "down: " + e.getMessage();
        }
    }

    /** The innermost message: pools wrap the reason (refused, bad password) in a generic timeout. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    /** Fails before anything starts when a fixed port is taken (the usual cause: a stack already running). */
    private static void requireFreePort(int port, String variable, String what) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new LocalStackException(what + " cannot listen on port " + port + " (it is in use; is a local stack"
                    + " already running?). Set " + variable + " to another port.", e);
        }
    }

    private static LocalStackException portProblem(Exception e, int port, String variable, String what) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof BindException)
                && !String.valueOf(cause.getMessage()).contains("Address already in use")) {
            cause = cause.getCause();
        }
        if (cause != null) {
            return new LocalStackException(what + " cannot listen on port " + port + " (it is in use). Set "
                    + variable + " to another port.", e);
        }
        return new LocalStackException(what + " could not start: " + e.getMessage(), e);
    }

    private void checkNotClosed() {
        if (closed) {
            throw new LocalStackException("The local stack was stopped while starting.");
        }
    }

    // --- stop --------------------------------------------------------------------------------

    /**
     * Stops everything: the schedule and the SQS pollers, the functions (their JVMs and children),
     * SQS, then gateway, emulator, database. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        LocalScheduler schedule = scheduler;
        if (schedule != null) {
            quietly("the scheduler", schedule::close);
            scheduler = null;
        }
        List<SqsEventSourceMapping> mappings = List.copyOf(pollers.values());
        mappings.forEach(SqsEventSourceMapping::requestStop);
        List<Thread> stopping = new ArrayList<>();
        for (FunctionProcess function : functions.values()) {
            stopping.add(Thread.ofVirtual().start(function::close));
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        functions.clear();
        if (sqs != null) {
            // Before joining the pollers: cutting SQS off ends their long polls at once.
            quietly("SQS", sqs::close);
            sqs = null;
        }
        for (SqsEventSourceMapping mapping : mappings) {
            quietly("the SQS poller of " + mapping.functionName(), mapping::close);
        }
        pollers.clear();
        if (gateway != null) {
            quietly("the gateway", gateway::close);
            gateway = null;
        }
        if (emulator != null) {
            quietly("the emulator", emulator::close);
            emulator = null;
        }
        if (jwks != null) {
            quietly("the JWKS endpoint", jwks::close);
            jwks = null;
        }
        if (dynamoDb != null) {
            quietly("DynamoDB", dynamoDb::close);
            dynamoDb = null;
        }
        if (dataSource != null) {
            quietly("the connection pool", dataSource::close);
            dataSource = null;
        }
        if (embeddedPostgres != null) {
            EmbeddedPostgres postgres = embeddedPostgres;
            quietly("PostgreSQL", postgres::close);
            embeddedPostgres = null;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            console.println("Could not stop " + what + " cleanly: " + e.getMessage());
        }
    }

    // --- main --------------------------------------------------------------------------------

    /** {@code ./pipedesk local}: start, print the banner, run until Ctrl-C. */
    public static void main(String[] args) {
        // Before any HttpServer of this JVM (gateway, emulator) exists: responses without Nagle's delay.
        System.setProperty(LocalApiGateway.NODELAY_PROPERTY, "true");
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(Banner.usage());
            return;
        }
        Banner.quietLibraryLogging();
        LocalStackOptions options;
        try {
            options = LocalStackOptions.fromEnv(Env.of(System::getenv, LocalStackOptions.VARIABLES));
        } catch (RuntimeException e) {
            System.err.println("PipeDesk local stack: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("Starting the PipeDesk local stack...");
        LocalStack stack;
        try {
            stack = new LocalStack(options);
        } catch (LocalStackException e) {
            System.err.println("PipeDesk local stack could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!stack.closed) {
                System.out.println();
                System.out.println("Stopping the PipeDesk local stack...");
                stack.close();
                System.out.println("Stopped.");
            }
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.startAll();
        } catch (RuntimeException e) {
            boolean interrupted = stack.closed;
            stack.close();
            if (!interrupted) {
                System.err.println();
                System.err.println("PipeDesk local stack could not start:");
                System.err.println(e.getMessage());
                System.exit(1);
            }
            return;
        }
        System.out.println(Banner.ready(stack, System.currentTimeMillis() - stack.startMillis));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    LocalStackOptions options() {
        return options;
    }

    int migrationsApplied() {
        return migrationsApplied;
    }

    boolean usesEmbeddedDatabase() {
        return embeddedPostgres != null;
    }

    Optional<String> auditWriterWarning() {
        return Optional.ofNullable(auditWriterWarning);
    }

    Optional<String> timelineReaderWarning() {
        return Optional.ofNullable(timelineReaderWarning);
    }

    Optional<LocalScheduler> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    List<String> notRunning() {
        return List.copyOf(notRunning);
    }
}
