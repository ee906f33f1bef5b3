package dev.pipedesk.local;

import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.core.Env;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.state.RateLimitSettings;

import java.io.PrintStream;
import dev.pipedesk.local.sqs.SqsOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How to start the local stack.
 *
 * @param gatewayPort   the API's port on 127.0.0.1; 0 picks a free one
 * @param emulatorPort  the Google Calendar emulator's port; 0 picks a free one
 * @param database      an existing PostgreSQL, or null to start an embedded, throw-away one
 * @param jwtVariables  the {@code JWT_*} variables the authorizer gets (and tokens are issued
 *                      with); {@code JWT_HS256_SECRET} is always present
 * @param logDir        when set, each function logs to {@code <dir>/<function>.log} and the gateway
 *                      to {@code <dir>/gateway.log}; when null, to the console with a prefix
 * @param functions     whether every function must be built, or only the built ones run
 * @param repoRoot      the checkout; null finds it from the working directory
 * @param functionEnvironment extra environment variables per function name (override the defaults)
 * @param sqs           the local SQS (ElasticMQ): port, the audit queue's visibility timeout, receive limit
 * @param scheduleRate  how often the scheduler invokes {@code channel-renewal} (the outbox relay); zero: only
 *                      on {@link LocalStack#runScheduledJobsNow()}
 * @param dynamoDbPort  the local DynamoDB (emulator) port on 127.0.0.1; 0 picks a free one
 * @param auditWriterPassword the password of the {@code pipedesk_audit_writer} role when the operator has set
 *                      one already; null: the stack generates one and grants it ({@code ALTER ROLE ... LOGIN})
 * @param console       where progress and the banner go
 */
public record LocalStackOptions(int gatewayPort, int emulatorPort, DatabaseSettings database,
                                Map<String, String> jwtVariables, Path logDir, FunctionSelection functions,
                                Path repoRoot, Map<String, Map<String, String>> functionEnvironment,
                                SqsOptions sqs, Duration scheduleRate, String auditWriterPassword,
                                int dynamoDbPort, PrintStream console) {

    /** The environment variables only the local stack reads. */
    public enum Variable {
        PORT, GOOGLE_EMULATOR_PORT, LOCAL_LOG_DIR, SQS_PORT, LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS, LOCAL_SCHEDULE_SECONDS,
        AUDIT_WRITER_DATABASE_PASSWORD, DYNAMODB_PORT
    }

    /**
     * Every variable {@link #fromEnv} reads: its own, the database's, the authorizer's {@code JWT_*}
     * and {@code RATE_LIMIT_USER_PER_MINUTE} (passed on to the API functions).
     */
    public static final List<String> VARIABLES = Stream.of(Env.names(Variable.values()), DatabaseSettings.VARIABLES,
            JwtSettings.VARIABLES, List.of(RateLimitSettings.Variable.RATE_LIMIT_USER_PER_MINUTE.name()))
            .flatMap(List::stream).toList();

    public static final int DEFAULT_PORT = 3000;
    public static final int DEFAULT_EMULATOR_PORT = 3001;
    /** Printed in the banner as what it is: a development secret, never for a deployment. */
    public static final String LOCAL_JWT_SECRET = "pipedesk-local-dev-secret-change-me-0123456789abcdef";
    public static final Duration DEFAULT_SCHEDULE_RATE = Duration.ofSeconds(10);
    public static final int DEFAULT_DYNAMODB_PORT = 8000;
    /** The functions behind API routes: they count requests against the rate limit. */
    static final List<String> RATE_LIMITED_FUNCTIONS = List.of(LocalFunctions.CALENDAR.name(), LocalFunctions.TIMELINE.name());
    static final int TEST_VISIBILITY_TIMEOUT_SECONDS = 1;
    static final int TEST_SCHEDULE_SECONDS = 2;

    /** Which functions the stack runs. */
    public enum FunctionSelection {
        /** Every PipeDesk function; a missing build is an error ({@code ./pipedesk local}). */
        ALL,
        /** Those whose {@code target/lambda} exists; routes to the others answer 502 (tests). */
        BUILT
    }

    public LocalStackOptions {
        if (gatewayPort < 0 || gatewayPort > 65535 || emulatorPort < 0 || emulatorPort > 65535
                || dynamoDbPort < 0 || dynamoDbPort > 65535) {
            throw new IllegalArgumentException("ports must be 0..65535");
        }
        Map<String, String> jwt = new TreeMap<>(jwtVariables);
        jwt.putIfAbsent(JwtSettings.Variable.JWT_HS256_SECRET.name(), LOCAL_JWT_SECRET);
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
        Objects.requireNonNull(console, "console");
    }

    /** Port 3000, emulator 3001, embedded PostgreSQL, the local JWT secret, every function, console logs. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(DEFAULT_PORT, DEFAULT_EMULATOR_PORT, null, Map.of(), null, FunctionSelection.ALL,
                null, Map.of(), SqsOptions.defaults(), DEFAULT_SCHEDULE_RATE, null, DEFAULT_DYNAMODB_PORT, System.out);
    }

    /**
     * Options from environment variables:
     * <ul>
     * <li>{@code PORT}: the API's port (default 3000)</li>
     * <li>{@code GOOGLE_EMULATOR_PORT}: the Google Calendar emulator's port (default 3001)</li>
     * <li>{@code DATABASE_URL} (+ {@code DATABASE_USER}, {@code DATABASE_PASSWORD}): use this
     *     PostgreSQL (migrated on start); unset starts an embedded one whose data is discarded on exit</li>
     * <li>{@code JWT_HS256_SECRET}: the token secret (default {@value #LOCAL_JWT_SECRET});
     *     {@code JWT_ISSUER}, {@code JWT_AUDIENCE}, {@code JWT_LEEWAY_SECONDS},
     *     {@code JWT_ROLE_CLAIMS} are passed to the authorizer as well</li>
     * <li>{@code LOCAL_LOG_DIR}: write function and gateway logs there instead of the console</li>
     * <li>{@code SQS_PORT}: the local SQS (ElasticMQ) port (default 9324)</li>
     * <li>{@code LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS}: the audit queue's visibility timeout (default 30)</li>
     * <li>{@code LOCAL_SCHEDULE_SECONDS}: how often the scheduled functions run (default 10; 0: never)</li>
     * <li>{@code AUDIT_WRITER_DATABASE_PASSWORD}: the password the {@code pipedesk_audit_writer} role already
     *     has in {@code DATABASE_URL}'s database; unset: the stack sets a generated one</li>
     * <li>{@code DYNAMODB_PORT}: the local DynamoDB (emulator) port (default 8000)</li>
     * <li>{@code RATE_LIMIT_USER_PER_MINUTE}: passed to the API functions (default 600; 0: off)</li>
     * </ul>
     */
    public static LocalStackOptions fromEnv(Env env) {
        DatabaseSettings database = env.optional(DatabaseSettings.Variable.DATABASE_URL.name()).isPresent()
                ? DatabaseSettings.fromEnv(env) : null;
        Map<String, String> jwt = new TreeMap<>();
        for (String name : JwtSettings.VARIABLES) {
            env.optional(name).ifPresent(value -> jwt.put(name, value));
        }
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
                env.getInt(Variable.DYNAMODB_PORT.name(), DEFAULT_DYNAMODB_PORT), System.out);
    }

    /**
     * For tests: free ports (SQS and DynamoDB included), only the built functions, logs in {@code logDir}; the
     * audit queue's visibility timeout is {@value #TEST_VISIBILITY_TIMEOUT_SECONDS} s and the schedule
     * fires every {@value #TEST_SCHEDULE_SECONDS} s, so retries and redrives to the DLQ take seconds.
     */
    public static LocalStackOptions forTests(Path logDir) {
        return defaults().withGatewayPort(0).withEmulatorPort(0).withDynamoDbPort(0)
                .withSqs(SqsOptions.defaults().withPort(0).withVisibilityTimeout(Duration.ofSeconds(TEST_VISIBILITY_TIMEOUT_SECONDS)))
                .withScheduleRate(Duration.ofSeconds(TEST_SCHEDULE_SECONDS))
                .withFunctions(FunctionSelection.BUILT).withLogDir(logDir);
    }

    public String jwtSecret() {
        return jwtVariables.get(JwtSettings.Variable.JWT_HS256_SECRET.name());
    }

    public boolean isDefaultJwtSecret() {
        return LOCAL_JWT_SECRET.equals(jwtSecret());
    }

    public LocalStackOptions withGatewayPort(int port) {
        return new LocalStackOptions(port, emulatorPort, database, jwtVariables, logDir, functions, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withEmulatorPort(int port) {
        return new LocalStackOptions(gatewayPort, port, database, jwtVariables, logDir, functions, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withDatabase(DatabaseSettings settings) {
        return new LocalStackOptions(gatewayPort, emulatorPort, settings, jwtVariables, logDir, functions, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withJwtSecret(String secret) {
        Map<String, String> jwt = new TreeMap<>(jwtVariables);
        jwt.put(JwtSettings.Variable.JWT_HS256_SECRET.name(), secret);
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwt, logDir, functions, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withLogDir(Path dir) {
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, dir, functions, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withFunctions(FunctionSelection selection) {
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, selection, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withRepoRoot(Path root) {
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, functions, root,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    /** Adds (or overrides) environment variables of one function, e.g. shorter retry delays in tests. */
    public LocalStackOptions withFunctionEnvironment(String function, Map<String, String> variables) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>(functionEnvironment);
        Map<String, String> merged = new LinkedHashMap<>(all.getOrDefault(function, Map.of()));
        merged.putAll(variables);
        all.put(function, merged);
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, functions, repoRoot,
                all, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withSqs(SqsOptions value) {
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, functions, repoRoot,
                functionEnvironment, value, scheduleRate, auditWriterPassword, dynamoDbPort, console);
    }

    /** How often the scheduled functions run; zero: only on {@link LocalStack#runScheduledJobsNow()}. */
    public LocalStackOptions withScheduleRate(Duration value) {
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, functions, repoRoot,
                functionEnvironment, sqs, value, auditWriterPassword, dynamoDbPort, console);
    }

    public LocalStackOptions withDynamoDbPort(int port) {
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, functions, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, port, console);
    }

    /** Never prints the JWT secret, other {@code JWT_*} values or the audit writer's password. */
    @Override
    public String toString() {
        return "LocalStackOptions[gatewayPort=" + gatewayPort + ", emulatorPort=" + emulatorPort + ", database="
                + (database == null ? "embedded" : database) + ", jwtVariables=" + jwtVariables.keySet() + ", logDir=" + logDir
                + ", functions=" + functions + ", repoRoot=" + repoRoot + ", functionEnvironment="
                + functionEnvironment.keySet() + ", sqs=" + sqs + ", scheduleRate=" + scheduleRate
                + ", auditWriterPassword=" + (auditWriterPassword == null ? "generated" : "(set)") + ", dynamoDbPort=" + dynamoDbPort + "]";
    }

    public LocalStackOptions withConsole(PrintStream out) {
        return new LocalStackOptions(gatewayPort, emulatorPort, database, jwtVariables, logDir, functions, repoRoot,
                functionEnvironment, sqs, scheduleRate, auditWriterPassword, dynamoDbPort, out);
    }
}
