package dev.pipedesk.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template with {@code database=aurora}: Aurora PostgreSQL Serverless v2 behind RDS Proxy in
 * a VPC of the stack, the functions in its private subnets. Synthesizes once: integration tier.
 */
@Tag("integration")
class AuroraStackTest {

    private static final String JWKS = "https://example.supabase.co/auth/v1/.well-known/jwks.json";
    private static final String GOOGLE_KEY = "arn:aws:secretsmanager:us-east-1:111111111111:secret:google-key-AbCdEf";
    private static Synthesized synth;
    /** A second stage of the same app (and so of the same account and region). */
    private static Synthesized secondStage;

    @BeforeAll
    static void synthesize() {
        List<Synthesized> stages = Synthesized.all(Map.of("database", "aurora", "stage", "staging,prod",
                "jwtJwksUrl", JWKS, "jwtIssuer", "https://example.supabase.co/auth/v1", "jwtAudience", "authenticated",
                "googleServiceAccountSecretArn", GOOGLE_KEY,
                "customDomain", "api.example.com",
                "migrationRun", "42"));
        synth = stages.get(0);
        secondStage = stages.get(1);
    }

    @Test
    void cdkNagFindsNoUnsuppressedError() {
        for (Synthesized stage : List.of(synth, secondStage)) {
            assertThat(stage.nagErrors()).extracting(message -> message.getId() + " " + message.getEntry().getData())
                    .isEmpty();
        }
    }

    @Test
    void namesTheProxyAfterItsStageSoTwoStagesCoexist() {
        synth.template().hasResourceProperties("AWS::RDS::DBProxy", Match.objectLike(Map.of("DBProxyName", "pipedesk-staging")));
        secondStage.template().hasResourceProperties("AWS::RDS::DBProxy", Match.objectLike(Map.of("DBProxyName", "pipedesk-prod")));
        assertThat(proxyName(synth)).isNotEqualTo(proxyName(secondStage));
    }

    @Test
    void attachesFunctionsToTheVpcWithNetworkInterfaceActionsOnlyAndNoLogsOnEveryResource() {
        for (DeployedFunction function : DeployedFunction.values()) {
            // no managed policy at all: AWSLambdaVPCAccessExecutionRole would bring logs:* on *
            assertThat(Synthesized.properties(synth.resources("AWS::IAM::Role").get(synth.roleId(function))))
                    .as(function.folder()).doesNotContainKey("ManagedPolicyArns");
            List<Map<String, Object>> statements = synth.statements(synth.roleId(function));
            assertThat(statements).as(function.folder()).filteredOn(statement -> "*".equals(statement.get("Resource")))
                    .singleElement()
                    .satisfies(statement -> assertThat(Synthesized.actions(statement))
                            .containsExactlyInAnyOrderElementsOf(PipeDeskStack.VPC_NETWORK_INTERFACE_ACTIONS));
            assertThat(statements).as(function.folder()).allSatisfy(statement -> {
                if (Synthesized.actions(statement).stream().anyMatch(action -> action.startsWith("logs:"))) {
                    assertThat(String.valueOf(statement.get("Resource"))).as(function.folder())
                            .isNotEqualTo("*").contains(synth.logGroupId(function));
                }
            });
            // Lambda checks the role's network-interface permissions when it creates the function
            assertThat(String.valueOf(synth.resources("AWS::Lambda::Function").get(synth.functionId(function)).get("DependsOn")))
                    .as(function.folder()).contains(synth.roleId(function).replaceAll("[0-9A-F]{8}$", "") + "DefaultPolicy");
        }
    }

    @Test
    void runsTheMigrationsOnlyOnceTheProxyAdmitsTheFunctions() {
        String proxyGroup = securityGroupId("ProxySecurityGroup");
        String functionGroup = securityGroupId("FunctionSecurityGroup");
        List<String> ingress = synth.resources("AWS::EC2::SecurityGroupIngress").entrySet().stream()
                .filter(entry -> Synthesized.properties(entry.getValue()).get("GroupId").toString().contains(proxyGroup)
                        && Synthesized.properties(entry.getValue()).get("SourceSecurityGroupId").toString().contains(functionGroup))
                .map(Map.Entry::getKey).toList();
        assertThat(ingress).hasSize(1);
        Map<String, Object> trigger = synth.resources("Custom::Trigger").values().iterator().next();
        assertThat(String.valueOf(trigger.get("DependsOn"))).contains(ingress.getFirst(), proxyGroup);
        assertThat(synth.dependencyCycle()).as("CloudFormation refuses a template with a cycle").isEmpty();
    }

    @Test
    void runsAnEncryptedServerlessV2ClusterWithBackupsAndDeletionProtection() {
        synth.template().hasResourceProperties("AWS::RDS::DBCluster", Match.objectLike(Map.of(
                "Engine", "aurora-postgresql",
                "StorageEncrypted", true,
                "DeletionProtection", true,
                "BackupRetentionPeriod", 7,
                "DatabaseName", DatabaseAccess.AURORA_DATABASE_NAME,
                "ServerlessV2ScalingConfiguration", Map.of("MinCapacity", 0.5, "MaxCapacity", 4))));
        synth.template().hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of("DBInstanceClass", "db.serverless")));
    }

    @Test
    void putsRdsProxyWithTlsAndEveryLoginInFrontOfTheCluster() {
        synth.template().hasResourceProperties("AWS::RDS::DBProxy", Match.objectLike(Map.of(
                "EngineFamily", "POSTGRESQL",
                "RequireTLS", true)));
        @SuppressWarnings("unchecked")
        List<Object> auth = (List<Object>) Synthesized.properties(synth.resources("AWS::RDS::DBProxy").values().iterator().next()).get("Auth");
        assertThat(auth).hasSize(4); // the owner and the three logins
    }

    @Test
    void connectsEveryFunctionThroughTheProxyFromThePrivateSubnets() {
        for (DeployedFunction function : DeployedFunction.values()) {
            Map<String, Object> properties = Synthesized.properties(
                    synth.resources("AWS::Lambda::Function").get(synth.functionId(function)));
            assertThat(properties).as(function.folder()).containsKey("VpcConfig");
            if (function != DeployedFunction.AUTHORIZER) {
                assertThat(synth.environment(function).get("DATABASE_URL").toString()).as(function.folder())
                        .contains("jdbc:postgresql://", "Endpoint", "sslmode=require");
            }
        }
    }

    @Test
    void givesTheVpcNatAndEndpointsForSqsDynamoDbAndSecretsManager() {
        synth.template().resourceCountIs("AWS::EC2::NatGateway", 1);
        synth.template().resourceCountIs("AWS::EC2::FlowLog", 1);
        String endpoints = synth.resources("AWS::EC2::VPCEndpoint").values().toString();
        assertThat(endpoints).contains(".sqs", ".dynamodb", ".secretsmanager");
        synth.template().hasResourceProperties("AWS::EC2::VPCEndpoint", Match.objectLike(Map.of("VpcEndpointType", "Gateway")));
    }

    @Test
    void verifiesTokensWithTheJwksAndCreatesNoHs256Secret() {
        assertThat(synth.environment(DeployedFunction.AUTHORIZER))
                .containsEntry("JWT_JWKS_URL", JWKS)
                .containsEntry("JWT_ISSUER", "https://example.supabase.co/auth/v1")
                .containsEntry("JWT_AUDIENCE", "authenticated")
                .doesNotContainKey("JWT_HS256_SECRET_ARN");
        // the three logins and the cluster's owner: no JWT or Google secret of the stack's own
        synth.template().resourceCountIs("AWS::SecretsManager::Secret", 4);
    }

    @Test
    void readsTheGoogleKeyFromTheSecretNamedInContext() {
        for (DeployedFunction function : List.of(DeployedFunction.CALENDAR, DeployedFunction.CALENDAR_SYNC, DeployedFunction.CHANNEL_RENEWAL)) {
            assertThat(synth.environment(function)).as(function.folder())
                    .containsEntry("GOOGLE_SERVICE_ACCOUNT_SECRET_ARN", GOOGLE_KEY);
        }
    }

    @Test
    void usesTheCustomDomainAsTheWebhookBaseUrl() {
        assertThat(synth.environment(DeployedFunction.CALENDAR)).containsEntry("WEBHOOK_BASE_URL", "https://api.example.com");
        assertThat(synth.environment(DeployedFunction.CHANNEL_RENEWAL)).containsEntry("WEBHOOK_BASE_URL", "https://api.example.com");
    }

    @Test
    void changesTheMigrationFunctionWhenMigrationRunChanges() {
        synth.template().hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "FunctionName", "pipedesk-staging-db-migrate",
                "Description", Match.stringLikeRegexp(".*run 42.*"))));
    }

    private static Object proxyName(Synthesized stage) {
        return Synthesized.properties(stage.resources("AWS::RDS::DBProxy").values().iterator().next()).get("DBProxyName");
    }

    private static String securityGroupId(String constructId) {
        List<String> ids = synth.resources("AWS::EC2::SecurityGroup").keySet().stream()
                .filter(id -> id.matches("Database" + constructId + "[0-9A-F]{8}")).toList();
        assertThat(ids).as(constructId).hasSize(1);
        return ids.getFirst();
    }
}
