package dev.pipedesk.infra;

import dev.pipedesk.infra.DeploymentSettings.AuroraDatabase;
import dev.pipedesk.infra.DeploymentSettings.ExistingDatabase;
import dev.pipedesk.migrate.GroupRole;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.DatabaseProxy;
import software.amazon.awscdk.services.rds.DatabaseProxyOptions;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The database as the functions see it: a URL without credentials, the owner's secret (for the
 * migration function only) and one generated login secret per group role; with Aurora also the
 * VPC, the functions' security group and RDS Proxy.
 */
public final class DatabaseAccess extends Construct {

    /** The database name Aurora is created with. */
    public static final String AURORA_DATABASE_NAME = "pipedesk";
    public static final String AURORA_ADMIN_USER = "pipedesk_admin";

    /**
     * RDS Proxy's name, unique in the account and region per stage (the construct id alone,
     * "Proxy", would clash between two stages).
     */
    public static String proxyName(String stage) {
        return "pipedesk-" + stage.toLowerCase(Locale.ROOT);
    }

    private final String url;
    private final ISecret adminSecret;
    private final Map<GroupRole, Secret> loginSecrets = new EnumMap<>(GroupRole.class);
    private final Optional<IVpc> vpc;
    private final Optional<ISecurityGroup> functionSecurityGroup;
    private final List<Construct> resources = new ArrayList<>();

    public DatabaseAccess(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        RemovalPolicy removal = settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        for (GroupRole role : GroupRole.values()) {
            Secret secret = Secret.Builder.create(this, "Login-" + role.roleName())
                    .description("PipeDesk " + settings.stage() + ": login of the database role " + role.roleName()
                            + " (created by the db-migrate function)")
                    .generateSecretString(SecretStringGenerator.builder()
                            .secretStringTemplate("{\"username\":\"" + loginName(role, settings.stage()) + "\"}")
                            .generateStringKey("password")
                            .excludePunctuation(true)
                            .passwordLength(40)
                            .build())
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            Nag.suppress(secret, "AwsSolutions-SMG4", "The db-migrate function sets the login's password from this secret: "
                    + "a rotation is a new value plus the migration trigger (docs/deploy.md, Rotating secrets), not a rotation Lambda "
                    + "changing the password behind the migrations");
            loginSecrets.put(role, secret);
            resources.add(secret);
        }
        switch (settings.database()) {
            case ExistingDatabase existing -> {
                url = existing.url();
                adminSecret = Secret.fromSecretCompleteArn(this, "AdminSecret", existing.adminSecretArn());
                vpc = Optional.empty();
                functionSecurityGroup = Optional.empty();
            }
            case AuroraDatabase aurora -> {
                Vpc network = Vpc.Builder.create(this, "Vpc")
                        .maxAzs(2)
                        .natGateways(aurora.natGateways())
                        .subnetConfiguration(List.of(
                                SubnetConfiguration.builder().name("Public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                                SubnetConfiguration.builder().name("Functions").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(22).build(),
                                SubnetConfiguration.builder().name("Database").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                        .build();
                LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                        .retention(RetentionDays.ONE_MONTH).removalPolicy(removal).build();
                network.addFlowLog("FlowLog", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs(flowLogs)).build());
                SubnetSelection functionSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
                network.addGatewayEndpoint("DynamoDb", GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.DYNAMODB).build());
                network.addInterfaceEndpoint("Sqs", InterfaceVpcEndpointOptions.builder()
                        .service(InterfaceVpcEndpointAwsService.SQS).subnets(functionSubnets).build());
                network.addInterfaceEndpoint("SecretsManager", InterfaceVpcEndpointOptions.builder()
                        .service(InterfaceVpcEndpointAwsService.SECRETS_MANAGER).subnets(functionSubnets).build());

                SecurityGroup functions = SecurityGroup.Builder.create(this, "FunctionSecurityGroup")
                        .vpc(network)
                        .description("PipeDesk functions: out to the proxy, the VPC endpoints and (through NAT) Google")
                        .allowAllOutbound(true)
                        .build();
                SecurityGroup proxyGroup = SecurityGroup.Builder.create(this, "ProxySecurityGroup")
                        .vpc(network)
                        .description("RDS Proxy: PostgreSQL from the PipeDesk functions only")
                        .allowAllOutbound(false)
                        .build();
                proxyGroup.addIngressRule(functions, Port.tcp(5432), "PostgreSQL from the functions");

                DatabaseCluster cluster = DatabaseCluster.Builder.create(this, "Cluster")
                        .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                                .version(AuroraPostgresEngineVersion.VER_17_5).build()))
                        .credentials(Credentials.fromGeneratedSecret(AURORA_ADMIN_USER))
                        .defaultDatabaseName(AURORA_DATABASE_NAME)
                        .writer(ClusterInstance.serverlessV2("Writer"))
                        .serverlessV2MinCapacity(aurora.minCapacity())
                        .serverlessV2MaxCapacity(aurora.maxCapacity())
                        .vpc(network)
                        .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                        .storageEncrypted(true)
                        .iamAuthentication(true)
                        .backup(BackupProps.builder().retention(Duration.days(7)).build())
                        .deletionProtection(aurora.deletionProtection())
                        .removalPolicy(settings.retainData() ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY)
                        .cloudwatchLogsExports(List.of("postgresql"))
                        .build();
                if (!aurora.deletionProtection()) {
                    Nag.suppress(cluster, "AwsSolutions-RDS10", "Deletion protection turned off on purpose in context "
                            + "(deletionProtection=false): a throw-away stage");
                }
                List<ISecret> proxySecrets = new ArrayList<>();
                proxySecrets.add(cluster.getSecret());
                proxySecrets.addAll(loginSecrets.values());
                DatabaseProxy proxy = cluster.addProxy("Proxy", DatabaseProxyOptions.builder()
                        .dbProxyName(proxyName(settings.stage()))
                        .vpc(network)
                        .vpcSubnets(functionSubnets)
                        .securityGroups(List.of(proxyGroup))
                        .secrets(proxySecrets)
                        .requireTls(true)
                        .borrowTimeout(Duration.seconds(5))
                        .build());
                cluster.getConnections().allowDefaultPortFrom(proxyGroup, "PostgreSQL from RDS Proxy");
                proxyGroup.addEgressRule(cluster.getConnections().getSecurityGroups().getFirst(), Port.tcp(5432),
                        "PostgreSQL to the cluster");

                Nag.suppress(cluster.getNode().findChild("Secret"), "AwsSolutions-SMG4", "The owner's credentials are read only by the db-migrate "
                        + "function, once per deployment; docs/deploy.md (Rotating secrets) rotates them with Secrets Manager's RDS rotation when wanted");
                for (String endpoint : List.of("Sqs", "SecretsManager")) {
                    Nag.suppress(network.getNode().findChild(endpoint), "CdkNagValidationFailure",
                            "AwsSolutions-EC23 cannot resolve the VPC's CIDR (an intrinsic): the endpoint's security group admits HTTPS from the VPC's own CIDR only");
                }
                url = "jdbc:postgresql://" + proxy.getEndpoint() + ":5432/" + AURORA_DATABASE_NAME + "?sslmode=require";
                adminSecret = cluster.getSecret();
                vpc = Optional.of(network);
                functionSecurityGroup = Optional.of(functions);
                resources.add(cluster);
                resources.add(proxy);
                // the path of the migration function to the database: the network (subnets, NAT, the Secrets
                // Manager endpoint) and the proxy's security group with its rules (the functions' ingress)
                resources.add(network);
                resources.add(proxyGroup);
                resources.add(functions);
            }
        }
    }

    /** The login user of a group role in a stage, e.g. {@code pipedesk_app_prod}. */
    public static String loginName(GroupRole role, String stage) {
        return role.roleName() + "_" + stage.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** {@code DATABASE_URL}: no credentials, ever. */
    public String url() {
        return url;
    }

    /** The owner's credentials: the migration function's only. */
    public ISecret adminSecret() {
        return adminSecret;
    }

    public Secret loginSecret(GroupRole role) {
        return loginSecrets.get(role);
    }

    /** The VPC the functions run in (Aurora only). */
    public Optional<IVpc> vpc() {
        return vpc;
    }

    public Optional<ISecurityGroup> functionSecurityGroup() {
        return functionSecurityGroup;
    }

    /**
     * What must exist before the migrations run: the login secrets; with Aurora also the cluster, the
     * proxy, the VPC and the security groups with their rules.
     */
    public List<Construct> resources() {
        return List.copyOf(resources);
    }
}
