package dev.pipedesk.local;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.TokenIssuer;
import dev.pipedesk.core.Env;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.local.gateway.LocalApiGateway;
import dev.pipedesk.local.gateway.RouteTable;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.FunctionSpec;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.postgres.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
 * PipeDesk on one machine: PostgreSQL (embedded or {@code DATABASE_URL}), migrated; the Google
 * Calendar emulator; every function in a JVM of its own behind its real Lambda handler; and a
 * local API Gateway (routes, Lambda authorizer, payload 2.0) in front.
 *
 * <p>{@code ./pipedesk local} runs {@link #main}; configuration comes from the environment
 * variables documented on {@link LocalStackOptions#fromEnv}. Tests use
 * {@link #start(LocalStackOptions)} and the accessors, then {@link #close()}.
 */
public final class LocalStack implements AutoCloseable {
    /** Tokens in the banner are valid this long. */
    public static final Duration BANNER_TOKEN_TTL = Duration.ofHours(12);
    /** The Workspace user the calendar function impersonates (domain-wide delegation) locally. */
    public static final String LOCAL_CALENDAR_USER = "calendar@pipedesk.local";
    /** The service account the functions authenticate as against the emulator. */
    public static final String LOCAL_SERVICE_ACCOUNT = "pipedesk-local@pipedesk-local.iam.gserviceaccount.com";
    private static final String EMBEDDED_DATABASE = "pipedesk";

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
    private LocalApiGateway gateway;
    private JwtSettings jwtSettings;
    private TokenIssuer tokenIssuer;
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
        return URI.create(apiBaseUrl() + LocalApiGateway.HEALTH_PATH);
    }

    public URI openApiUrl() {
        return URI.create(apiBaseUrl() + LocalApiGateway.OPENAPI_PATH);
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

    public JwtSettings jwtSettings() {
        return jwtSettings;
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

    /** Where a function's log goes when {@link LocalStackOptions#logDir()} is set. */
    public Optional<Path> logFile(String function) {
        return Optional.ofNullable(options.logDir()).map(dir -> dir.resolve(function + ".log"));
    }

    /** A bearer token (without the {@code Bearer } prefix) valid for 12 h, email {@code <userId>@pipedesk.local}. */
    public String token(Role role, String userId) {
        return token(role, userId, userId + "@pipedesk.local");
    }

    public String token(Role role, String userId, String email) {
        return tokenIssuer.issue(userId, email, role.wire(), BANNER_TOKEN_TTL);
    }

    /** For tests of the authorizer: any role claim (also unknown ones) and any lifetime. */
    public String token(String rawRole, String userId, String email, Duration ttl) {
        return tokenIssuer.issue(userId, email, rawRole, ttl);
    }

    // --- start -------------------------------------------------------------------------------

    private void startAll() {
        startMillis = System.currentTimeMillis();
        List<LocalFunctions.Definition> selected = selectFunctions();
        requireFreePort(options.gatewayPort(), "PORT", "The API gateway");
        requireFreePort(options.emulatorPort(), "GOOGLE_EMULATOR_PORT", "The Google Calendar emulator");
        jwtSettings = JwtSettings.fromEnv(new Env(options.jwtVariables()));
        tokenIssuer = new TokenIssuer(jwtSettings);
        startDatabase();
        startEmulator();
        startFunctions(selected);
        startGateway();
    }

    private List<LocalFunctions.Definition> selectFunctions() {
        List<LocalFunctions.Definition> built = new ArrayList<>();
        for (LocalFunctions.Definition function : LocalFunctions.ALL) {
            if (function.isBuilt(repoRoot)) {
                built.add(function);
            } else if (options.functions() == LocalStackOptions.FunctionSelection.ALL) {
                throw new LocalStackException("The " + function.name() + " function is not built: "
                        + repoRoot.relativize(function.lambdaLib(repoRoot)) + " is missing. Run ./pipedesk build.");
            } else {
                notRunning.add(function.name());
            }
        }
        return built;
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

    private void startEmulator() {
        checkNotClosed();
        EmulatorOptions emulatorOptions = EmulatorOptions.defaults()
                .withPort(options.emulatorPort())
                .withAllowHttpWebhooks(true);
        try {
            emulator = GoogleCalendarEmulator.start(emulatorOptions);
        } catch (RuntimeException e) {
            throw portProblem(e, options.emulatorPort(), "GOOGLE_EMULATOR_PORT", "The Google Calendar emulator");
        }
        console.println("Google Calendar emulator: " + emulator.rootUrl());
    }

    private void startFunctions(List<LocalFunctions.Definition> selected) {
        checkNotClosed();
        console.println("Functions: starting " + selected.stream().map(LocalFunctions.Definition::name).toList()
                + " (each in its own JVM, cold start)...");
        ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Map<String, Future<FunctionProcess>> starting = new LinkedHashMap<>();
            for (LocalFunctions.Definition function : selected) {
                FunctionSpec spec = FunctionSpec.springFunction(function.name(), function.lambdaLib(repoRoot),
                        function.mainClass(), environmentOf(function));
                starting.put(function.name(), starter.submit(() -> FunctionProcess.start(spec, logSink(function.name()))));
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
        Map<String, String> env = new LinkedHashMap<>();
        if (function.equals(LocalFunctions.AUTHORIZER)) {
            env.putAll(options.jwtVariables());
        } else {
            env.put("DATABASE_URL", databaseSettings.jdbcUrl());
            if (databaseSettings.user() != null) {
                env.put("DATABASE_USER", databaseSettings.user());
            }
            if (databaseSettings.password() != null) {
                env.put("DATABASE_PASSWORD", databaseSettings.password());
            }
            env.put("DATABASE_POOL_SIZE", Integer.toString(DatabaseSettings.DEFAULT_POOL_SIZE));
            env.put("GOOGLE_SERVICE_ACCOUNT_JSON", emulator.serviceAccountKeyJson(LOCAL_SERVICE_ACCOUNT));
            env.put("GOOGLE_IMPERSONATE_USER", LOCAL_CALENDAR_USER);
            env.put("GOOGLE_CALENDAR_ROOT_URL", emulator.rootUrl().toString());
        }
        env.putAll(options.functionEnvironment().getOrDefault(function.name(), Map.of()));
        return env;
    }

    private LogSink logSink(String name) {
        return options.logDir() == null ? LogSink.console(name, console) : LogSink.file(name, options.logDir());
    }

    private void startGateway() {
        checkNotClosed();
        List<LocalApiGateway.HealthCheck> checks = new ArrayList<>();
        checks.add(new LocalApiGateway.HealthCheck("database", this::databaseStatus));
        checks.add(new LocalApiGateway.HealthCheck("google-calendar-emulator", this::emulatorStatus));
        for (String name : runningFunctions()) {
            checks.add(new LocalApiGateway.HealthCheck("function:" + name, () -> {
                FunctionProcess process = functions.get(name);
                return process == null ? "stopped" : process.isUp() ? "up" : process.status();
            }));
        }
        try {
            gateway = LocalApiGateway.start(options.gatewayPort(), new RouteTable(LocalFunctions.ROUTES),
                    name -> (LambdaFunction) functions.get(name), checks,
                    repoRoot.resolve("docs").resolve("api").resolve("openapi.yaml"), logSink("gateway"));
        } catch (IOException e) {
            throw portProblem(e, options.gatewayPort(), "PORT", "The API gateway");
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
        URI root = emulator.rootUrl();
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
        while (cause != null && !(cause instanceof BindException)) {
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

    /** Stops everything: functions first (their JVMs and children), then gateway, emulator, database. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
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
        if (gateway != null) {
            quietly("the gateway", gateway::close);
            gateway = null;
        }
        if (emulator != null) {
            quietly("the emulator", emulator::close);
            emulator = null;
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
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(Banner.usage());
            return;
        }
        Banner.quietLibraryLogging();
        LocalStackOptions options;
        try {
            options = LocalStackOptions.fromEnv(Env.system());
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

    List<String> notRunning() {
        return List.copyOf(notRunning);
    }
}
