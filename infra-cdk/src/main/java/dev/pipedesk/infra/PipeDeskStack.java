package dev.pipedesk.infra;

import dev.pipedesk.migrate.GroupRole;
import dev.pipedesk.migrate.MigrationSettings;

import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.auth.CorsSettings;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaResponseType;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteKey;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.triggers.InvocationType;
import software.amazon.awscdk.triggers.Trigger;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The whole of PipeDesk in one stage: HTTP API with the Lambda authorizer, one function per
 * deployable function behind a SnapStart alias, the audit and sync queues, the schedule, the
 * rate-limit table, the database access, the migration trigger, alarms and a dashboard.
 */
public final class PipeDeskStack extends Stack {

    /** Redrive to the dead-letter queue after this many receives (audit and sync queues). */
    public static final int MAX_RECEIVE_COUNT = 5;
    public static final int AUDIT_BATCH_SIZE = 100;
    public static final int SYNC_BATCH_SIZE = 10;
    /**
     * The value of the Google key secret the stack creates: no key, and not JSON, so a function
     * reading it before an operator puts the real key fails with a parse error instead of
     * authenticating with something random. A fixed value: CloudFormation leaves a value put later
     * alone as long as this text does not change.
     */
    public static final String GOOGLE_KEY_PLACEHOLDER = "PLACEHOLDER: put the Google service-account key JSON here (docs/deploy.md)";
    /** The actions of the rate limiter ({@code DynamoDbRateLimiter}): the counting update and the start-up read. */
    public static final List<String> RATE_LIMIT_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:UpdateItem");
    /** What Lambda needs to attach a function to the VPC's subnets (and nothing of logs). */
    public static final List<String> VPC_NETWORK_INTERFACE_ACTIONS = List.of(
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");

    private final DeploymentSettings settings;
    private final Map<DeployedFunction, Function> functions = new EnumMap<>(DeployedFunction.class);
    private final Map<DeployedFunction, Alias> aliases = new EnumMap<>(DeployedFunction.class);
    private final HttpApi api;
    private final HttpStage apiStage;
    private final List<HttpRoute> routes = new ArrayList<>();
    private final Queue auditQueue;
    private final Queue auditDeadLetters;
    private final Queue syncQueue;
    private final Queue syncDeadLetters;
    private final Table rateLimits;
    private final DatabaseAccess database;
    private final Monitoring monitoring;

    public PipeDeskStack(Construct scope, String id, StackProps props, DeploymentSettings settings, Path repositoryRoot) {
        super(scope, id, props);
        this.settings = settings;
        RemovalPolicy dataRemoval = settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        database = new DatabaseAccess(this, "Database", settings);

        // --- Secrets the stack owns when context names none -------------------------------
        Optional<ISecret> jwtSecret = settings.jwt().hs256SecretArn()
                .<ISecret>map(arn -> Secret.fromSecretCompleteArn(this, "JwtHs256Secret", arn))
                .or(() -> settings.jwt().jwksUrl().isPresent() ? Optional.empty()
                        : Optional.of(Secret.Builder.create(this, "JwtHs256Secret")
                                .description("PipeDesk " + settings.stage() + ": the HS256 secret tokens are signed with")
                                .generateSecretString(SecretStringGenerator.builder()
                                        .passwordLength(64).excludePunctuation(true).build())
                                .build()));
        ISecret googleSecret = settings.google().serviceAccountSecretArn()
                .<ISecret>map(arn -> Secret.fromSecretCompleteArn(this, "GoogleServiceAccountKey", arn))
                .orElseGet(() -> Secret.Builder.create(this, "GoogleServiceAccountKey")
                        .description("PipeDesk " + settings.stage()
                                + ": the Google service-account key JSON (put it here: docs/deploy.md)")
                        .secretStringValue(SecretValue.unsafePlainText(GOOGLE_KEY_PLACEHOLDER))
                        .build());

        jwtSecret.filter(Secret.class::isInstance).ifPresent(secret -> Nag.suppress(secret, "AwsSolutions-SMG4",
                "Rotating the HS256 secret invalidates every token signed with it: it is rotated together with the token issuer, by hand (docs/deploy.md, Rotating secrets)"));
        if (googleSecret instanceof Secret owned) {
            Nag.suppress(owned, "AwsSolutions-SMG4",
                    "A Google service-account key is created in Google Cloud, not by Secrets Manager: rotated by hand (new key, put-secret-value, delete the old key; docs/deploy.md)");
        }

        // --- Queues ---------------------------------------------------------------------------
        auditDeadLetters = Queue.Builder.create(this, "AuditDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).removalPolicy(dataRemoval).build();
        auditQueue = Queue.Builder.create(this, "AuditQueue")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(4))
                .visibilityTimeout(sixTimes(DeployedFunction.AUDIT_WRITER))
                .deadLetterQueue(DeadLetterQueue.builder().queue(auditDeadLetters).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .removalPolicy(dataRemoval).build();
        syncDeadLetters = Queue.Builder.create(this, "SyncDeadLetterQueue")
                .fifo(true).queueName(physicalQueueName("calendar-sync-dlq.fifo"))
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).removalPolicy(dataRemoval).build();
        syncQueue = Queue.Builder.create(this, "SyncQueue")
                .fifo(true).contentBasedDeduplication(false).queueName(physicalQueueName("calendar-sync.fifo"))
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .visibilityTimeout(sixTimes(DeployedFunction.CALENDAR_SYNC))
                .deadLetterQueue(DeadLetterQueue.builder().queue(syncDeadLetters).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .removalPolicy(dataRemoval).build();

        // --- DynamoDB: the rate-limit table (libs/serverless-state) ----------------------------
        rateLimits = Table.Builder.create(this, "RateLimits")
                .partitionKey(Attribute.builder().name("limit_key").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute("expires_at")
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(dataRemoval)
                .build();

        // --- HTTP API (its URL is the webhook base URL) ---------------------------------------
        api = HttpApi.Builder.create(this, "Api")
                .apiName("pipedesk-" + settings.stage())
                .description("PipeDesk " + settings.stage())
                .createDefaultStage(false)
                .corsPreflight(cors(settings))
                .build();
        String webhookBaseUrl = settings.customDomain().orElse(api.getApiEndpoint());

        // --- Functions ------------------------------------------------------------------------
        for (DeployedFunction function : DeployedFunction.values()) {
            create(function, repositoryRoot, settings);
        }
        String auditQueueUrl = auditQueue.getQueueUrl();
        String syncQueueUrl = syncQueue.getQueueUrl();
        String tableName = rateLimits.getTableName();

        // authorizer
        settings.jwt().jwksUrl().ifPresent(url -> env(DeployedFunction.AUTHORIZER, JwtSettings.Variable.JWT_JWKS_URL, url));
        settings.jwt().issuer().ifPresent(value -> env(DeployedFunction.AUTHORIZER, JwtSettings.Variable.JWT_ISSUER, value));
        settings.jwt().audience().ifPresent(value -> env(DeployedFunction.AUTHORIZER, JwtSettings.Variable.JWT_AUDIENCE, value));
        settings.jwt().roleClaims().ifPresent(value -> env(DeployedFunction.AUTHORIZER, JwtSettings.Variable.JWT_ROLE_CLAIMS, value));
        jwtSecret.ifPresent(secret -> {
            env(DeployedFunction.AUTHORIZER, JwtSettings.Variable.JWT_HS256_SECRET_ARN, secret.getSecretArn());
            secret.grantRead(functions.get(DeployedFunction.AUTHORIZER));
        });

        // the database: each function its own login (db-migrate: the owner)
        database(DeployedFunction.CALENDAR, GroupRole.PIPEDESK_APP);
        database(DeployedFunction.WEBHOOK, GroupRole.PIPEDESK_APP);
        database(DeployedFunction.CALENDAR_SYNC, GroupRole.PIPEDESK_APP);
        database(DeployedFunction.CHANNEL_RENEWAL, GroupRole.PIPEDESK_APP);
        database(DeployedFunction.AUDIT_WRITER, GroupRole.PIPEDESK_AUDIT_WRITER);
        database(DeployedFunction.TIMELINE, GroupRole.PIPEDESK_TIMELINE_READER);
        Function migrate = functions.get(DeployedFunction.DB_MIGRATE);
        env(DeployedFunction.DB_MIGRATE, DatabaseSettings.Variable.DATABASE_URL, database.url());
        env(DeployedFunction.DB_MIGRATE, DatabaseSettings.Variable.DATABASE_SECRET_ARN, database.adminSecret().getSecretArn());
        database.adminSecret().grantRead(migrate);
        migrate.addEnvironment(MigrationSettings.Variable.DATABASE_LOGIN_SECRET_ARNS.name(), Arrays.stream(GroupRole.values())
                .map(role -> role.roleName() + "=" + database.loginSecret(role).getSecretArn())
                .collect(Collectors.joining(",")));
        for (GroupRole role : GroupRole.values()) {
            database.loginSecret(role).grantRead(migrate);
        }

        // Google: the functions that call it
        for (DeployedFunction function : List.of(DeployedFunction.CALENDAR, DeployedFunction.CALENDAR_SYNC,
                DeployedFunction.CHANNEL_RENEWAL)) {
            env(function, GoogleCalendarSettings.Variable.GOOGLE_SERVICE_ACCOUNT_SECRET_ARN, googleSecret.getSecretArn());
            googleSecret.grantRead(functions.get(function));
            settings.google().impersonateUser().ifPresent(value ->
                    env(function, GoogleCalendarSettings.Variable.GOOGLE_IMPERSONATE_USER, value));
            settings.google().calendars().ifPresent(value -> env(function, WritableCalendars.Variable.GOOGLE_CALENDARS, value));
            settings.google().defaultCalendar().ifPresent(value ->
                    env(function, WritableCalendars.Variable.GOOGLE_DEFAULT_CALENDAR, value));
        }
        for (DeployedFunction function : List.of(DeployedFunction.CALENDAR, DeployedFunction.CALENDAR_SYNC,
                DeployedFunction.CHANNEL_RENEWAL, DeployedFunction.WEBHOOK)) {
            settings.google().syncCalendars().ifPresent(value -> env(function, SyncSettings.Variable.GOOGLE_SYNC_CALENDARS, value));
        }

        // the audit queue: its producers send, the writer consumes (event source mapping below)
        for (DeployedFunction producer : List.of(DeployedFunction.CALENDAR, DeployedFunction.CALENDAR_SYNC,
                DeployedFunction.CHANNEL_RENEWAL)) {
            env(producer, AuditQueueSettings.Variable.AUDIT_QUEUE_URL, auditQueueUrl);
            auditQueue.grantSendMessages(functions.get(producer));
        }
        // the sync queue: the functions that ask for syncs send, the worker consumes
        for (DeployedFunction producer : List.of(DeployedFunction.CALENDAR, DeployedFunction.WEBHOOK,
                DeployedFunction.CHANNEL_RENEWAL)) {
            env(producer, SyncQueueSettings.Variable.CALENDAR_SYNC_QUEUE_URL, syncQueueUrl);
            syncQueue.grantSendMessages(functions.get(producer));
        }
        // the rate-limit table: the API functions and the webhook
        for (DeployedFunction limited : List.of(DeployedFunction.CALENDAR, DeployedFunction.TIMELINE,
                DeployedFunction.WEBHOOK)) {
            env(limited, RateLimitSettings.Variable.RATE_LIMIT_TABLE, tableName);
            rateLimits.grant(functions.get(limited), RATE_LIMIT_ACTIONS.toArray(String[]::new));
        }
        for (DeployedFunction api : List.of(DeployedFunction.CALENDAR, DeployedFunction.TIMELINE)) {
            settings.rateLimitUserPerMinute().ifPresent(limit ->
                    env(api, RateLimitSettings.Variable.RATE_LIMIT_USER_PER_MINUTE, Integer.toString(limit)));
        }
        // the functions that open watch channels: Google posts to the API's own URL
        for (DeployedFunction opener : List.of(DeployedFunction.CALENDAR, DeployedFunction.CHANNEL_RENEWAL)) {
            env(opener, SyncSettings.Variable.WEBHOOK_BASE_URL, webhookBaseUrl);
        }

        // --- Event sources and schedule (all on the aliases) ----------------------------------
        aliases.get(DeployedFunction.AUDIT_WRITER).addEventSource(SqsEventSource.Builder.create(auditQueue)
                .batchSize(AUDIT_BATCH_SIZE)
                .maxBatchingWindow(Duration.seconds(1))
                .reportBatchItemFailures(true)
                .maxConcurrency(settings.auditMaxConcurrency())
                .build());
        aliases.get(DeployedFunction.CALENDAR_SYNC).addEventSource(SqsEventSource.Builder.create(syncQueue)
                .batchSize(SYNC_BATCH_SIZE)
                .reportBatchItemFailures(true)
                .maxConcurrency(settings.syncMaxConcurrency())
                .build());
        Rule.Builder.create(this, "ChannelRenewalSchedule")
                .description("PipeDesk " + settings.stage() + ": channel renewal, backstop syncs and the audit outbox relay")
                .schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(LambdaFunction.Builder.create(aliases.get(DeployedFunction.CHANNEL_RENEWAL))
                        .retryAttempts(2).maxEventAge(Duration.minutes(1)).build()))
                .build();

        // --- Routes: one per deployed entry of the route table ---------------------------------
        IHttpRouteAuthorizer authorizer = HttpLambdaAuthorizer.Builder
                .create("JwtAuthorizer", aliases.get(DeployedFunction.AUTHORIZER))
                .authorizerName("pipedesk-jwt")
                .identitySource(List.of("$request.header.Authorization"))
                .responseTypes(List.of(HttpLambdaResponseType.SIMPLE))
                .resultsCacheTtl(Duration.seconds(0))
                .build();
        Map<DeployedFunction, HttpLambdaIntegration> integrations = new EnumMap<>(DeployedFunction.class);
        for (ApiRoute route : ApiRoute.values()) {
            if (route.localOnly()) {
                continue;
            }
            DeployedFunction target = DeployedFunction.named(route.servedBy().functionName());
            HttpLambdaIntegration integration = integrations.computeIfAbsent(target, function ->
                    new HttpLambdaIntegration(function.folder() + "-integration", aliases.get(function)));
            HttpRoute deployed = HttpRoute.Builder.create(this, "Route-" + route.name())
                    .httpApi(api)
                    .routeKey(HttpRouteKey.with(route.pathTemplate(), HttpMethod.valueOf(route.method())))
                    .integration(integration)
                    .authorizer(route.servedBy() instanceof ApiRoute.ServedBy.ChannelAuthenticated
                            ? new HttpNoneAuthorizer() : authorizer)
                    .build();
            if (route.servedBy() instanceof ApiRoute.ServedBy.ChannelAuthenticated) {
                Nag.suppress(deployed, "AwsSolutions-APIG4", "Google's push notifications carry no JWT: the webhook "
                        + "function authenticates each by its channel's token and rate-limits failures per source IP");
            }
            routes.add(deployed);
        }
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(retention(settings)).removalPolicy(dataRemoval).build();
        apiStage = HttpStage.Builder.create(this, "ApiStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.throttleRatePerSecond()).burstLimit(settings.throttleBurst()).build())
                .accessLogSettings(accessLogSettings(accessLogs))
                .build();

        // --- Migrations: once per deployment, before anything serves traffic -------------------
        List<Construct> servers = new ArrayList<>(aliases.entrySet().stream()
                .filter(entry -> entry.getKey() != DeployedFunction.DB_MIGRATE)
                .map(Map.Entry::getValue).map(Construct.class::cast).toList());
        Trigger.Builder.create(this, "MigrateDatabase")
                .handler(migrate)
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .timeout(Duration.seconds(DeployedFunction.DB_MIGRATE.timeout().toSeconds()))
                .executeOnHandlerChange(true)
                .executeAfter(database.resources())
                .executeBefore(servers)
                .build();

        monitoring = new Monitoring(this, "Monitoring", settings, functions, api, apiStage,
                auditQueue, auditDeadLetters, syncQueue, syncDeadLetters);

        CfnOutput.Builder.create(this, "ApiUrl").description("The API's base URL").value(api.getApiEndpoint()).build();
        CfnOutput.Builder.create(this, "WebhookBaseUrl").description("WEBHOOK_BASE_URL of the channel openers")
                .value(webhookBaseUrl).build();
        CfnOutput.Builder.create(this, "GoogleServiceAccountSecretArn").value(googleSecret.getSecretArn()).build();
        jwtSecret.ifPresent(secret -> CfnOutput.Builder.create(this, "JwtHs256SecretArn").value(secret.getSecretArn()).build());
        CfnOutput.Builder.create(this, "AlarmTopicArn").value(monitoring.alarmTopic().getTopicArn()).build();
        CfnOutput.Builder.create(this, "DatabaseUrl").description("DATABASE_URL of the functions (no credentials)")
                .value(database.url()).build();
    }


    /** The JVM reads it at start (as Lambda documents for Java): the options below. */
    static final String JVM_OPTIONS_VARIABLE = "JAVA_TOOL_OPTIONS";
    /**
     * The C1 compiler only: the flags the local stack and the cold-start benchmark run functions
     * with (docs/performance.md, "Cold start"); a function's work is short, so C2's warm-up costs
     * more than it returns.
     */
    static final String LAMBDA_JVM_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private void create(DeployedFunction spec, Path repositoryRoot, DeploymentSettings settings) {
        String id = camel(spec.folder());
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .logGroupName(logGroupName(settings.stage(), spec))
                .retention(retention(settings))
                .removalPolicy(settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(MetricsSettings.Variable.PIPEDESK_STAGE.name(), settings.stage());
        environment.put(JVM_OPTIONS_VARIABLE, LAMBDA_JVM_OPTIONS);
        // Its own role: write to its own log group only (no AWSLambdaBasicExecutionRole's logs:* on *).
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("PipeDesk " + settings.stage() + ": " + spec.folder())
                .build();
        logs.grantWrite(role);
        if (database.vpc().isPresent()) {
            // Not AWSLambdaVPCAccessExecutionRole: it also grants logs:CreateLogGroup/PutLogEvents on *.
            role.addToPolicy(PolicyStatement.Builder.create()
                    .sid("AttachToTheVpc")
                    .actions(VPC_NETWORK_INTERFACE_ACTIONS)
                    .resources(List.of("*"))
                    .build());
            Nag.suppress(role, "AwsSolutions-IAM5", "Resource::*",
                    "Lambda attaches a function to the VPC's subnets with ec2:CreateNetworkInterface/DescribeNetworkInterfaces/"
                            + "DescribeSubnets/DeleteNetworkInterface/AssignPrivateIpAddresses/UnassignPrivateIpAddresses, "
                            + "which take no resource-level restriction (Describe*) or are checked by Lambda on *: these actions only, no logs:*");
        }
        Function.Builder builder = Function.Builder.create(this, id)
                .role(role)
                .functionName(functionName(settings.stage(), spec))
                .description("PipeDesk " + settings.stage() + ": " + spec.folder()
                        + (spec == DeployedFunction.DB_MIGRATE ? settings.migrationRun().map(run -> " (run " + run + ")").orElse("") : ""))
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .handler(DeployedFunction.HANDLER)
                .code(Code.fromAsset(repositoryRoot.resolve(spec.assetPath()).toString()))
                .memorySize(spec.memoryMb())
                .timeout(Duration.seconds(spec.timeout().toSeconds()))
                .logGroup(logs)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.INFO)
                .environment(environment);
        if (spec.snapStart()) {
            builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        database.vpc().ifPresent(vpc -> builder.vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(database.functionSecurityGroup().orElseThrow())));
        Function function = builder.build();
        functions.put(spec, function);
        Alias.Builder alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(DeployedFunction.ALIAS)
                .version(function.getCurrentVersion());
        if (spec == DeployedFunction.CHANNEL_RENEWAL) {
            alias.retryAttempts(0); // the next run is a minute away
        }
        aliases.put(spec, alias.build());
    }

    /** {@code pipedesk-<stage>-<folder>}: the function's name, also the {@code function} field of its log lines. */
    static String functionName(String stage, DeployedFunction function) {
        return "pipedesk-" + stage + "-" + function.folder();
    }

    /** {@code /aws/lambda/pipedesk-<stage>-<folder>}: Lambda's own naming, so the log group is found by the function's name. */
    static String logGroupName(String stage, DeployedFunction function) {
        return "/aws/lambda/" + functionName(stage, function);
    }

    private void database(DeployedFunction function, GroupRole role) {
        env(function, DatabaseSettings.Variable.DATABASE_URL, database.url());
        env(function, DatabaseSettings.Variable.DATABASE_SECRET_ARN, database.loginSecret(role).getSecretArn());
        database.loginSecret(role).grantRead(functions.get(function));
    }

    private void env(DeployedFunction function, Enum<?> variable, String value) {
        functions.get(function).addEnvironment(variable.name(), value);
    }

    private Duration sixTimes(DeployedFunction function) {
        return Duration.seconds(6 * function.timeout().toSeconds());
    }

    private String physicalQueueName(String name) {
        return "pipedesk-" + settings.stage() + "-" + name;
    }

    /** CloudWatch Logs' retention choices (days), shortest first. */
    private static final Map<Integer, RetentionDays> RETENTION_CHOICES = new java.util.TreeMap<>(Map.ofEntries(
            Map.entry(1, RetentionDays.ONE_DAY), Map.entry(3, RetentionDays.THREE_DAYS),
            Map.entry(5, RetentionDays.FIVE_DAYS), Map.entry(7, RetentionDays.ONE_WEEK),
            Map.entry(14, RetentionDays.TWO_WEEKS), Map.entry(30, RetentionDays.ONE_MONTH),
            Map.entry(60, RetentionDays.TWO_MONTHS), Map.entry(90, RetentionDays.THREE_MONTHS),
            Map.entry(120, RetentionDays.FOUR_MONTHS), Map.entry(150, RetentionDays.FIVE_MONTHS),
            Map.entry(180, RetentionDays.SIX_MONTHS), Map.entry(365, RetentionDays.ONE_YEAR),
            Map.entry(400, RetentionDays.THIRTEEN_MONTHS), Map.entry(545, RetentionDays.EIGHTEEN_MONTHS),
            Map.entry(731, RetentionDays.TWO_YEARS), Map.entry(1827, RetentionDays.FIVE_YEARS),
            Map.entry(3653, RetentionDays.TEN_YEARS)));

    /** The shortest retention CloudWatch offers that keeps logs at least {@code logRetentionDays}. */
    static RetentionDays retention(DeploymentSettings settings) {
        return RETENTION_CHOICES.entrySet().stream().filter(choice -> choice.getKey() >= settings.logRetentionDays())
                .map(Map.Entry::getValue).findFirst().orElse(RetentionDays.TEN_YEARS);
    }

    private static CorsPreflightOptions cors(DeploymentSettings settings) {
        if (settings.corsAllowedOrigins().isEmpty()) {
            return null;
        }
        return CorsPreflightOptions.builder()
                .allowOrigins(settings.corsAllowedOrigins())
                .allowMethods(CorsSettings.ALLOWED_METHODS.stream().map(CorsHttpMethod::valueOf).toList())
                .allowHeaders(CorsSettings.ALLOWED_HEADERS)
                .exposeHeaders(CorsSettings.EXPOSED_HEADERS)
                .maxAge(Duration.seconds(CorsSettings.MAX_AGE_SECONDS))
                .allowCredentials(settings.corsAllowCredentials())
                .build();
    }

    /** One JSON object per request: who, what, how it ended, how long it took. */
    static final String ACCESS_LOG_FORMAT = "{" + String.join(",",
            "\"requestId\":\"$context.requestId\"",
            "\"time\":\"$context.requestTime\"",
            "\"ip\":\"$context.identity.sourceIp\"",
            "\"method\":\"$context.httpMethod\"",
            "\"routeKey\":\"$context.routeKey\"",
            "\"path\":\"$context.path\"",
            "\"status\":\"$context.status\"",
            "\"protocol\":\"$context.protocol\"",
            "\"responseLength\":\"$context.responseLength\"",
            "\"latencyMs\":\"$context.responseLatency\"",
            "\"integrationLatencyMs\":\"$context.integration.latency\"",
            "\"integrationError\":\"$context.integrationErrorMessage\"",
            "\"authorizerError\":\"$context.authorizer.error\"",
            "\"userId\":\"$context.authorizer.userId\"") + "}";

    private static IAccessLogSettings accessLogSettings(LogGroup logGroup) {
        LogGroupLogDestination destination = new LogGroupLogDestination(logGroup);
        return new IAccessLogSettings() {
            @Override
            public IAccessLogDestination getDestination() {
                return destination;
            }

            @Override
            public AccessLogFormat getFormat() {
                return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
            }
        };
    }

    private static String camel(String folder) {
        StringBuilder id = new StringBuilder();
        for (String part : folder.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.toString();
    }

    public DeploymentSettings settings() {
        return settings;
    }

    public Map<DeployedFunction, Function> functions() {
        return Map.copyOf(functions);
    }

    public List<HttpRoute> routes() {
        return List.copyOf(routes);
    }

    public HttpApi api() {
        return api;
    }
}
