package dev.pipedesk.migrate;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.localaws.LocalSecretsManager;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.secrets.SecretsManagerSource;
import dev.pipedesk.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A database as a deployment finds it — empty, checking passwords — with the Secrets Manager
 * stand-in holding one login secret per group role (as the CDK app generates them), and the real
 * SDK client reading them.
 */
final class DeploymentDatabase implements AutoCloseable {
    final TestDatabase database = TestDatabase.startEmptyCheckingPasswords();
    final LocalSecretsManager secretsManager = LocalSecretsManager.start();
    final SecretsManagerSource source = SecretsManagerSource.at(secretsManager.endpoint(), builder -> builder
            .region(Region.of(LocalSecretsManager.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))));
    final Map<GroupRole, String> loginSecrets = new EnumMap<>(GroupRole.class);
    private final Map<GroupRole, String> passwords = new EnumMap<>(GroupRole.class);

    DeploymentDatabase() {
        for (GroupRole role : GroupRole.values()) {
            loginSecrets.put(role, putLogin(role, "initial-" + role.roleName() + "-password"));
        }
    }

    /** Stores (or rotates) the login secret of {@code role}; returns its ARN. */
    String putLogin(GroupRole role, String password) {
        passwords.put(role, password);
        return secretsManager.put("pipedesk/db-login-" + role.roleName(),
                "{\"username\":\"" + username(role) + "\",\"password\":\"" + password + "\"}");
    }

    static String username(GroupRole role) {
        return role.roleName() + "_login";
    }

    String password(GroupRole role) {
        return passwords.get(role);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + database.port() + "/postgres";
    }

    /** The migration as the function runs it, as the superuser (the owner). */
    MigrationSummary migrate() {
        return new DatabaseMigration(database.dataSource(), source).run(loginSecrets);
    }

    /** One connection as {@code role}'s login, with {@code password}. */
    Connection connect(GroupRole role, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), username(role), password);
    }

    /** A pool as a function in that role connects (its login and current password). */
    HikariDataSource pool(GroupRole role) {
        return Databases.create(new DatabaseSettings(jdbcUrl(), username(role), password(role), 4));
    }

    @Override
    public void close() {
        source.close();
        secretsManager.close();
        database.close();
    }
}
