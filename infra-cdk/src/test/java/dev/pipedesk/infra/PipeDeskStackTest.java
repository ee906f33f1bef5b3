package dev.pipedesk.infra;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.metrics.OperatorMetric;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template of one stage with an existing database (e.g. Supabase): every bullet of the
 * deployment, asserted on the synthesized CloudFormation. Synthesizes once (jsii runs node, and
 * the eight function folders are fingerprinted): integration tier.
 */
@Tag("integration")
class PipeDeskStackTest {

    private static final List<String> ORIGINS = List.of("https://app.example.com", "https://admin.example.com");
    private static Synthesized synth;

    @BeforeAll
    static void synthesize() {
        synth = Synthesized.of(Map.of(
                "stage", "prod",
                "corsAllowedOrigins", String.join(",", ORIGINS),
                "corsAllowCredentials", "true",
                "throttleRate", "120",
                "throttleBurst", "240",
                "alarmEmail", "ops@example.com",
                "googleImpersonateUser", "calendar@example.com"));
    }

    @Test
    void cdkNagFindsNoUnsuppressedError() {
        assertThat(synth.nagErrors()).extracting(message -> message.getId() + " " + message.getEntry().getData())
                .isEmpty();
    }

    @Test
    void deploysEveryFunctionOnJava25Arm64WithJsonLogs() {
        assertThat(synth.resources("AWS::Lambda::Function").values().stream()
                .filter(resource -> DeployedFunction.HANDLER.equals(Synthesized.properties(resource).get("Handler"))))
                .hasSize(DeployedFunction.values().length);
        for (DeployedFunction function : DeployedFunction.values()) {
            synth.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "FunctionName", "pipedesk-prod-" + function.folder(),
                    "Runtime", "java25",
                    "Architectures", List.of("arm64"),
                    "Handler", DeployedFunction.HANDLER,
                    "MemorySize", function.memoryMb(),
                    "Timeout", (int) function.timeout().toSeconds(),
                    "LoggingConfig", Match.objectLike(Map.of("LogFormat", "JSON", "LogGroup", Match.anyValue())))));
        }
    }

    @Test
    void turnsSnapStartOnForPublishedVersionsBehindTheLiveAlias() {
        for (DeployedFunction function : DeployedFunction.values()) {
            Map<String, Object> properties = Synthesized.properties(
                    synth.resources("AWS::Lambda::Function").get(synth.functionId(function)));
            if (function.snapStart()) {
                assertThat(properties.get("SnapStart")).as(function.folder())
                        .isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            } else {
                assertThat(properties).as(function.folder()).doesNotContainKey("SnapStart");
            }
            synth.template().hasResourceProperties("AWS::Lambda::Alias", Map.of(
                    "Name", DeployedFunction.ALIAS,
                    "FunctionName", Map.of("Ref", synth.functionId(function)),
                    "FunctionVersion", Match.anyValue()));
        }
    }

    @Test
    void keepsApiFunctionsWellUnderApiGatewaysThirtySeconds() {
        for (DeployedFunction function : List.of(DeployedFunction.AUTHORIZER, DeployedFunction.CALENDAR,
                DeployedFunction.TIMELINE, DeployedFunction.WEBHOOK)) {
            assertThat(function.timeout().toSeconds()).as(function.folder()).isLessThan(30);
        }
    }

    @Test
    void givesEveryLogGroupARetention() {
        assertThat(synth.resources("AWS::Logs::LogGroup")).isNotEmpty().allSatisfy((id, group) ->
                assertThat(Synthesized.properties(group)).as(id).containsEntry("RetentionInDays", 30));
    }

    @Test
    void deploysOneRoutePerNonLocalEntryOfTheRouteTable() {
        List<ApiRoute> deployed = Arrays.stream(ApiRoute.values()).filter(route -> !route.localOnly()).toList();
        synth.template().resourceCountIs("AWS::ApiGatewayV2::Route", deployed.size());
        for (ApiRoute route : deployed) {
            String authorization = route.servedBy() instanceof ApiRoute.ServedBy.ChannelAuthenticated ? "NONE" : "CUSTOM";
            synth.template().hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                    "RouteKey", route.routeKey(), "AuthorizationType", authorization)));
        }
        assertThat(routeKeys()).doesNotContain("GET /health", "POST /_local/functions/{name}/invoke");
    }

    @Test
    void deploysEveryRouteOfTheOpenApiDocumentThatIsNotLocalOnly() throws Exception {
        JsonNode document = new YAMLMapper().readTree(
                PipeDeskApp.repositoryRoot(Path.of("").toAbsolutePath()).resolve("docs/api/openapi.yaml").toFile());
        List<String> documented = new ArrayList<>();
        for (var path : document.path("paths").properties()) {
            if (path.getValue().path("x-local-only").asBoolean(false)) {
                continue;
            }
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode operation = path.getValue().path(method);
                if (!operation.isMissingNode() && !operation.path("x-local-only").asBoolean(false)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        assertThat(documented).isNotEmpty();
        assertThat(routeKeys()).containsAll(documented);
    }

    @Test
    void integratesEachRouteWithTheAliasOfTheFunctionServingIt() {
        synth.template().resourceCountIs("AWS::ApiGatewayV2::Integration", 3);
        for (DeployedFunction function : List.of(DeployedFunction.CALENDAR, DeployedFunction.TIMELINE, DeployedFunction.WEBHOOK)) {
            synth.template().hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                    "IntegrationType", "AWS_PROXY",
                    "PayloadFormatVersion", "2.0",
                    "IntegrationUri", Map.of("Ref", aliasId(function))));
        }
    }

    @Test
    void authorizesWithTheLambdaAuthorizerUncachedOnTheAuthorizationHeader() {
        synth.template().hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Match.objectLike(Map.of(
                "AuthorizerType", "REQUEST",
                "IdentitySource", List.of("$request.header.Authorization"),
                "AuthorizerResultTtlInSeconds", 0,
                "EnableSimpleResponses", true,
                "AuthorizerPayloadFormatVersion", "2.0")));
    }

    @Test
    void throttlesTheStageAndLogsEachRequestAsJson() throws Exception {
        synth.template().hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 120, "ThrottlingBurstLimit", 240))));
        Map<String, Object> stage = Synthesized.properties(synth.resources("AWS::ApiGatewayV2::Stage").values().iterator().next());
        @SuppressWarnings("unchecked")
        String format = (String) ((Map<String, Object>) stage.get("AccessLogSettings")).get("Format");
        JsonNode line = new ObjectMapper().readTree(format);
        assertThat(line.has("requestId") && line.has("status") && line.has("routeKey") && line.has("userId")).isTrue();
    }

    @Test
    void allowsTheConfiguredOriginsOnly() {
        synth.template().hasResourceProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of(
                "ProtocolType", "HTTP",
                "CorsConfiguration", Match.objectLike(Map.of(
                        "AllowOrigins", ORIGINS,
                        "AllowCredentials", true,
                        "AllowMethods", Match.arrayWith(List.of("GET", "POST", "PATCH", "DELETE")))))));
    }

    @Test
    void redrivesTheAuditQueueToItsEncryptedDeadLetterQueueAfterFiveReceives() {
        synth.template().hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "SqsManagedSseEnabled", true,
                "VisibilityTimeout", 6 * (int) DeployedFunction.AUDIT_WRITER.timeout().toSeconds(),
                "RedrivePolicy", Map.of("maxReceiveCount", 5,
                        "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(queueId("AuditDeadLetterQueue"), "Arn"))))));
        assertThat(synth.resources("AWS::SQS::Queue")).hasSize(4).allSatisfy((id, queue) ->
                assertThat(Synthesized.properties(queue)).as(id).containsEntry("SqsManagedSseEnabled", true));
        assertThat(synth.resources("AWS::SQS::QueuePolicy")).hasSize(4).allSatisfy((id, policy) ->
                assertThat(policy.toString()).as(id).contains("aws:SecureTransport=false").contains("Deny"));
    }

    @Test
    void feedsTheAuditWriterInBatchesOfAHundredWithItemFailuresAndCappedConcurrency() {
        assertThat(mappingTarget(queueId("AuditQueue"))).contains(aliasId(DeployedFunction.AUDIT_WRITER), ":live");
        synth.template().hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "FunctionName", Match.anyValue(),
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(queueId("AuditQueue"), "Arn")),
                "BatchSize", 100,
                "MaximumBatchingWindowInSeconds", 1,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "ScalingConfig", Map.of("MaximumConcurrency", 5)));
    }

    @Test
    void syncsCalendarsFromAFifoQueueWithAFifoDeadLetterQueue() {
        synth.template().hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "QueueName", "pipedesk-prod-calendar-sync.fifo",
                "FifoQueue", true,
                "VisibilityTimeout", 6 * (int) DeployedFunction.CALENDAR_SYNC.timeout().toSeconds(),
                "RedrivePolicy", Map.of("maxReceiveCount", 5,
                        "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(queueId("SyncDeadLetterQueue"), "Arn"))))));
        synth.template().hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "QueueName", "pipedesk-prod-calendar-sync-dlq.fifo", "FifoQueue", true)));
        assertThat(mappingTarget(queueId("SyncQueue"))).contains(aliasId(DeployedFunction.CALENDAR_SYNC), ":live");
        synth.template().hasResourceProperties("AWS::Lambda::EventSourceMapping", Match.objectLike(Map.of(
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(queueId("SyncQueue"), "Arn")),
                "BatchSize", 10,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"))));
    }

    @Test
    void runsChannelRenewalEveryMinute() {
        synth.template().hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "State", "ENABLED",
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", aliasId(DeployedFunction.CHANNEL_RENEWAL))))))));
    }

    @Test
    void keepsRateLimitsInAnOnDemandEncryptedTableWithTtlAndPointInTimeRecovery() {
        synth.template().resourceCountIs("AWS::DynamoDB::Table", 1);
        synth.template().hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "limit_key", "KeyType", "HASH")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", "limit_key", "AttributeType", "S")),
                "BillingMode", "PAY_PER_REQUEST",
                "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true)));
    }

    @Test
    void grantsTheRateLimitTableExactlyTheCallsOfTheRateLimiter() {
        // DynamoDbRateLimiter: updateItem per request, getItem once at start-up; nothing else
        String table = onlyId("AWS::DynamoDB::Table");
        for (DeployedFunction function : DeployedFunction.values()) {
            List<Map<String, Object>> onTable = synth.statements(synth.roleId(function)).stream()
                    .filter(statement -> String.valueOf(statement.get("Resource")).contains(table)).toList();
            if (List.of(DeployedFunction.CALENDAR, DeployedFunction.TIMELINE, DeployedFunction.WEBHOOK).contains(function)) {
                assertThat(onTable).as(function.folder()).singleElement().satisfies(statement ->
                        assertThat(Synthesized.actions(statement)).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:UpdateItem"));
            } else {
                assertThat(onTable).as(function.folder()).isEmpty();
            }
        }
    }

    @Test
    void createsTheGoogleKeySecretWithAPlaceholderNotARandomValue() {
        Map<String, Object> google = Synthesized.properties(synth.resources("AWS::SecretsManager::Secret")
                .get(secretId("GoogleServiceAccountKey")));
        assertThat(google).containsEntry("SecretString", PipeDeskStack.GOOGLE_KEY_PLACEHOLDER)
                .doesNotContainKey("GenerateSecretString");
        assertThat(PipeDeskStack.GOOGLE_KEY_PLACEHOLDER).doesNotStartWith("{");
    }

    @Test
    void namesEachLogGroupAfterItsFunctionAsLambdaDoes() {
        for (DeployedFunction function : DeployedFunction.values()) {
            Map<String, Object> logGroup = Synthesized.properties(synth.resources("AWS::Logs::LogGroup").get(synth.logGroupId(function)));
            assertThat(logGroup).as(function.folder()).containsEntry("LogGroupName", "/aws/lambda/pipedesk-prod-" + function.folder());
        }
    }

    @Test
    void letsEachFunctionWriteOnlyToItsOwnLogGroup() {
        for (DeployedFunction function : DeployedFunction.values()) {
            assertThat(Synthesized.properties(synth.resources("AWS::IAM::Role").get(synth.roleId(function))))
                    .as(function.folder()).doesNotContainKey("ManagedPolicyArns");
            assertThat(synth.statements(synth.roleId(function))).as(function.folder())
                    .filteredOn(statement -> Synthesized.actions(statement).stream().anyMatch(action -> action.startsWith("logs:")))
                    .isNotEmpty()
                    .allSatisfy(statement -> assertThat(String.valueOf(statement.get("Resource")))
                            .isNotEqualTo("*").contains(synth.logGroupId(function)));
        }
    }

    @Test
    void putsNoSecretValueInAnyEnvironmentVariable() {
        Set<String> secretValued = Set.of("JWT_HS256_SECRET", "GOOGLE_SERVICE_ACCOUNT_JSON", "GOOGLE_SERVICE_ACCOUNT_FILE",
                "DATABASE_PASSWORD", "DATABASE_USER", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
        for (DeployedFunction function : DeployedFunction.values()) {
            Map<String, Object> environment = synth.environment(function);
            assertThat(environment.keySet()).as(function.folder()).doesNotContainAnyElementsOf(secretValued);
            environment.forEach((name, value) -> {
                if (value instanceof String plain && plain.startsWith("arn:")) {
                    // a secret given in context: its ARN, never its value
                    assertThat(name).as(function.folder()).endsWith("_SECRET_ARN");
                } else if (value instanceof String plain) {
                    // a plain value is a setting: a stage name, a URL without credentials, an e-mail, a number
                    assertThat(plain).as(function.folder() + " " + name)
                            .doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("secret")
                            .doesNotContain("-----BEGIN").doesNotMatch("^[a-z:]+//[^/@]*@.*");
                } else {
                    // else a reference to a resource of the stack (a secret's ARN, a queue's URL, the API's URL)
                    assertThat(value.toString()).as(function.folder() + " " + name).containsAnyOf("Ref", "Fn::GetAtt");
                }
            });
        }
    }

    @Test
    void givesEachFunctionTheDatabaseLoginOfItsRole() {
        Map<DeployedFunction, String> logins = Map.of(
                DeployedFunction.CALENDAR, "pipedesk_app", DeployedFunction.WEBHOOK, "pipedesk_app",
                DeployedFunction.CALENDAR_SYNC, "pipedesk_app", DeployedFunction.CHANNEL_RENEWAL, "pipedesk_app",
                DeployedFunction.AUDIT_WRITER, "pipedesk_audit_writer", DeployedFunction.TIMELINE, "pipedesk_timeline_reader");
        logins.forEach((function, role) -> {
            Map<String, Object> environment = synth.environment(function);
            assertThat(environment).as(function.folder()).containsEntry("DATABASE_URL", Synthesized.DATABASE_URL);
            assertThat(environment.get("DATABASE_SECRET_ARN")).as(function.folder())
                    .isEqualTo(Map.of("Ref", secretId("Login-" + role)));
        });
        Map<String, Object> migrate = synth.environment(DeployedFunction.DB_MIGRATE);
        assertThat(migrate).containsEntry("DATABASE_SECRET_ARN", Synthesized.ADMIN_SECRET_ARN)
                .containsEntry("DATABASE_URL", Synthesized.DATABASE_URL);
        assertThat(migrate.get("DATABASE_LOGIN_SECRET_ARNS").toString())
                .contains("pipedesk_app=", ",pipedesk_audit_writer=", ",pipedesk_timeline_reader=");
        assertThat(synth.environment(DeployedFunction.AUTHORIZER)).doesNotContainKey("DATABASE_URL");
        for (String role : List.of("pipedesk_app", "pipedesk_audit_writer", "pipedesk_timeline_reader")) {
            synth.template().hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                    "GenerateSecretString", Match.objectLike(Map.of(
                            "SecretStringTemplate", "{\"username\":\"" + role + "_prod\"}",
                            "GenerateStringKey", "password")))));
        }
    }

    @Test
    void passesSecretsAsArnsAndStageAsPipedeskStage() {
        assertThat(synth.environment(DeployedFunction.AUTHORIZER)).containsKey("JWT_HS256_SECRET_ARN");
        for (DeployedFunction google : List.of(DeployedFunction.CALENDAR, DeployedFunction.CALENDAR_SYNC, DeployedFunction.CHANNEL_RENEWAL)) {
            assertThat(synth.environment(google)).as(google.folder()).containsKey("GOOGLE_SERVICE_ACCOUNT_SECRET_ARN")
                    .containsEntry("GOOGLE_IMPERSONATE_USER", "calendar@example.com");
        }
        for (DeployedFunction function : DeployedFunction.values()) {
            assertThat(synth.environment(function)).as(function.folder()).containsEntry("PIPEDESK_STAGE", "prod");
        }
    }

    @Test
    void runsEveryFunctionWithTheC1CompilerOnly() {
        for (DeployedFunction function : DeployedFunction.values()) {
            assertThat(synth.environment(function)).as(function.folder())
                    .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        }
    }

    @Test
    void wiresTheApisOwnUrlAsTheWebhookBaseUrlOfTheChannelOpeners() {
        Map<String, Object> apiEndpoint = Map.of("Fn::GetAtt", List.of(onlyId("AWS::ApiGatewayV2::Api"), "ApiEndpoint"));
        assertThat(synth.environment(DeployedFunction.CALENDAR)).containsEntry("WEBHOOK_BASE_URL", apiEndpoint);
        assertThat(synth.environment(DeployedFunction.CHANNEL_RENEWAL)).containsEntry("WEBHOOK_BASE_URL", apiEndpoint);
        assertThat(synth.environment(DeployedFunction.WEBHOOK)).doesNotContainKey("WEBHOOK_BASE_URL");
    }

    @Test
    void grantsEachQueueAndTableToExactlyTheFunctionsThatUseThem() {
        assertThat(functionsAllowed("sqs:SendMessage", queueId("AuditQueue")))
                .containsExactlyInAnyOrder(DeployedFunction.CALENDAR, DeployedFunction.CALENDAR_SYNC, DeployedFunction.CHANNEL_RENEWAL);
        assertThat(functionsAllowed("sqs:SendMessage", queueId("SyncQueue")))
                .containsExactlyInAnyOrder(DeployedFunction.CALENDAR, DeployedFunction.WEBHOOK, DeployedFunction.CHANNEL_RENEWAL);
        assertThat(functionsAllowed("sqs:ReceiveMessage", queueId("AuditQueue"))).containsExactly(DeployedFunction.AUDIT_WRITER);
        assertThat(functionsAllowed("sqs:ReceiveMessage", queueId("SyncQueue"))).containsExactly(DeployedFunction.CALENDAR_SYNC);
        assertThat(functionsAllowed("dynamodb:UpdateItem", onlyId("AWS::DynamoDB::Table")))
                .containsExactlyInAnyOrder(DeployedFunction.CALENDAR, DeployedFunction.TIMELINE, DeployedFunction.WEBHOOK);
        assertThat(functionsAllowed("secretsmanager:GetSecretValue", secretId("Login-pipedesk_audit_writer")))
                .containsExactlyInAnyOrder(DeployedFunction.AUDIT_WRITER, DeployedFunction.DB_MIGRATE);
        assertThat(functionsAllowed("secretsmanager:GetSecretValue", secretId("GoogleServiceAccountKey")))
                .containsExactlyInAnyOrder(DeployedFunction.CALENDAR, DeployedFunction.CALENDAR_SYNC, DeployedFunction.CHANNEL_RENEWAL);
        assertThat(functionsAllowed("secretsmanager:GetSecretValue", Synthesized.ADMIN_SECRET_ARN))
                .containsExactly(DeployedFunction.DB_MIGRATE);
    }

    @Test
    void runsTheMigrationsOnceBeforeTheFunctionsServe() {
        synth.template().resourceCountIs("Custom::Trigger", 1);
        String trigger = onlyId("Custom::Trigger");
        assertThat(synth.template().toJSON().get("Resources").toString()).contains(synth.functionId(DeployedFunction.DB_MIGRATE));
        for (DeployedFunction function : DeployedFunction.values()) {
            if (function != DeployedFunction.DB_MIGRATE) {
                Object dependsOn = synth.resources("AWS::Lambda::Alias").get(aliasId(function)).get("DependsOn");
                assertThat(String.valueOf(dependsOn)).as(function.folder()).contains(trigger);
            }
        }
    }

    @Test
    void alarmsOnDeadLettersErrorsThrottlesServerErrorsAndOperatorMetrics() {
        Map<String, Map<String, Object>> alarms = synth.resources("AWS::CloudWatch::Alarm");
        String topic = onlyId("AWS::SNS::Topic");
        assertThat(alarms).hasSize(2 + 1 + 2 * DeployedFunction.values().length + 1 + 3).allSatisfy((id, alarm) ->
                assertThat(Synthesized.properties(alarm).get("AlarmActions")).as(id).isEqualTo(List.of(Map.of("Ref", topic))));
        for (String deadLetters : List.of("AuditDeadLetterQueue", "SyncDeadLetterQueue")) {
            synth.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS",
                    "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold",
                    "Dimensions", List.of(Map.of("Name", "QueueName",
                            "Value", Map.of("Fn::GetAtt", List.of(queueId(deadLetters), "QueueName")))))));
        }
        synth.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateAgeOfOldestMessage", "Threshold", DeploymentSettings.DEFAULT_AUDIT_MAX_AGE_SECONDS)));
        for (String metric : List.of("Errors", "Throttles")) {
            for (DeployedFunction function : DeployedFunction.values()) {
                synth.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                        "MetricName", metric, "Namespace", "AWS/Lambda",
                        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", synth.functionId(function)))))));
            }
        }
        assertThat(alarms.values().stream().map(Object::toString).filter(alarm -> alarm.contains("5xx") && alarm.contains("Count")))
                .hasSize(1);
        for (OperatorMetric metric : List.of(OperatorMetric.CHANNEL_RENEWALS_FAILED, OperatorMetric.CALENDARS_SYNC_FAILED,
                OperatorMetric.CHANNELS_EXPIRING_WITHOUT_SUCCESSOR)) {
            synth.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "MetricName", metric.metricName(), "Namespace", OperatorMetric.NAMESPACE, "Threshold", 0,
                    "Dimensions", List.of(Map.of("Name", OperatorMetric.STAGE_DIMENSION, "Value", "prod")))));
        }
    }

    @Test
    void sendsAlarmsToAnEncryptedSslOnlyTopicWithTheConfiguredEmail() {
        synth.template().hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.anyValue())));
        synth.template().hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        assertThat(synth.resources("AWS::SNS::TopicPolicy").values().toString()).contains("aws:SecureTransport=false");
        synth.template().hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "ops@example.com", "TopicArn", Map.of("Ref", onlyId("AWS::SNS::Topic"))));
    }

    @Test
    void showsEveryOperatorMetricOnTheDashboard() {
        String body = synth.resources("AWS::CloudWatch::Dashboard").values().toString();
        for (OperatorMetric metric : OperatorMetric.values()) {
            assertThat(body).contains("\"" + metric.metricName() + "\"");
        }
        assertThat(body).contains("ApproximateNumberOfMessagesVisible", "Errors", "Duration", "4xx", "5xx", "Latency");
    }

    @Test
    void writesNoAccountIdIntoTheTemplate() {
        String template = synth.template().toJSON().toString().replace(Synthesized.ADMIN_SECRET_ARN, "");
        // An account id is a number of its own (in an ARN between colons); asset hashes and logical
        // ids hold runs of digits inside longer hexadecimal tokens, which are not account ids.
        String accountId = "(?<![0-9A-Za-z])[0-9]{12}(?![0-9A-Za-z])";
        assertThat(Synthesized.ADMIN_SECRET_ARN).as("the pattern finds an account id in an ARN").containsPattern(accountId);
        assertThat(template).doesNotContainPattern(accountId);
    }

    // --- helpers --------------------------------------------------------------------------

    /** The FunctionName of the event source mapping reading this queue (the alias's ARN, as a join). */
    private static String mappingTarget(String queueId) {
        return synth.resources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(Synthesized::properties)
                .filter(mapping -> mapping.get("EventSourceArn").toString().contains(queueId))
                .map(mapping -> mapping.get("FunctionName").toString()).findFirst().orElseThrow();
    }

    private static List<String> routeKeys() {
        return synth.resources("AWS::ApiGatewayV2::Route").values().stream()
                .map(route -> (String) Synthesized.properties(route).get("RouteKey")).toList();
    }

    private static String onlyId(String type) {
        Map<String, Map<String, Object>> resources = synth.resources(type);
        assertThat(resources).as(type).hasSize(1);
        return resources.keySet().iterator().next();
    }

    private static String aliasId(DeployedFunction function) {
        return synth.resources("AWS::Lambda::Alias").entrySet().stream()
                .filter(entry -> Map.of("Ref", synth.functionId(function)).equals(Synthesized.properties(entry.getValue()).get("FunctionName")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static String queueId(String constructId) {
        return logicalId(constructId, "AWS::SQS::Queue");
    }

    private static String secretId(String constructId) {
        return logicalId(constructId.replace("-", "").replace("_", ""), "AWS::SecretsManager::Secret");
    }

    /** The logical id of the one resource of this type whose id starts with the construct's (CDK adds a hash). */
    private static String logicalId(String prefix, String type) {
        List<String> ids = synth.resources(type).keySet().stream()
                .filter(id -> id.matches("(Database)?" + prefix + "[0-9A-F]{8}")).toList();
        assertThat(ids).as(prefix).hasSize(1);
        return ids.getFirst();
    }

    /** The functions whose role has a policy allowing this action on a resource that names the target. */
    @SuppressWarnings("unchecked")
    private static List<DeployedFunction> functionsAllowed(String action, String target) {
        Map<String, DeployedFunction> byRole = Arrays.stream(DeployedFunction.values()).collect(Collectors.toMap(
                function -> ((List<String>) ((Map<String, Object>) Synthesized.properties(
                        synth.resources("AWS::Lambda::Function").get(synth.functionId(function))).get("Role"))
                        .get("Fn::GetAtt")).getFirst(),
                function -> function));
        List<DeployedFunction> allowed = new ArrayList<>();
        for (Map<String, Object> policy : synth.resources("AWS::IAM::Policy").values()) {
            Map<String, Object> properties = Synthesized.properties(policy);
            List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) properties
                    .get("PolicyDocument")).get("Statement");
            boolean grants = statements.stream().anyMatch(statement -> "Allow".equals(statement.get("Effect"))
                    && String.valueOf(statement.get("Action")).contains(action)
                    && String.valueOf(statement.get("Resource")).contains(target));
            if (grants) {
                for (Object role : (List<Object>) properties.get("Roles")) {
                    DeployedFunction function = byRole.get(((Map<String, String>) role).get("Ref"));
                    if (function != null) {
                        allowed.add(function);
                    }
                }
            }
        }
        return allowed;
    }
}
