package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.secrets.SecretSource;
import dev.pipedesk.secrets.Secrets;
import dev.pipedesk.secrets.SecretsSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pool with credentials from a database secret, on a PostgreSQL that checks passwords: the
 * secret is read when the first connection is opened (not when the pool is built), and after a
 * rotation (the login's password and the secret changed) the next new connection works at once,
 * without waiting for the secret's TTL.
 */
@Tag("integration")
class DatabaseSecretRotationTest {
    @RegisterExtension
    static final MigratedDatabase DATABASE = MigratedDatabase.checkingPasswords();

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:pipedesk/db-rotation";
    private static final String LOGIN = "rotation_login";

    private final Map<String, String> secretValues = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final SecretSource source = arn -> {
        reads.incrementAndGet();
        return secretValues.get(arn);
    };
    /** A TTL far longer than the test: only a refused password makes the pool read the secret again. */
    private final Secrets secrets = new Secrets(source, new SecretsSettings(Duration.ofHours(1)), Clock.systemUTC());

    @BeforeAll
    static void createLogin() throws SQLException {
        superuser("create role " + LOGIN + " login password 'first-password' in role pipedesk_timeline_reader");
    }

    @Test
    void theNextConnectionAfterARotationUsesTheNewPasswordWithoutWaitingForTheTtl() throws SQLException {
        superuser("alter role " + LOGIN + " password 'first-password'");
        secretValues.put(ARN, secret("first-password", null));
        DatabaseSettings settings = DatabaseSettings.fromSecret(
                "jdbc:postgresql://localhost:" + DATABASE.port() + "/postgres", ARN, 2);
        try (HikariDataSource pool = Databases.create(settings, Duration.ofSeconds(5), secrets)) {
            assertThat(reads).hasValue(0);
            assertThat(currentUser(pool)).isEqualTo(LOGIN);
            assertThat(reads).hasValue(1);

            superuser("alter role " + LOGIN + " password 'second-password'");
            secretValues.put(ARN, secret("second-password", null));
            pool.getHikariPoolMXBean().softEvictConnections();

            assertThat(currentUser(pool)).isEqualTo(LOGIN);
            assertThat(reads).hasValue(2);
        }
    }

    @Test
    void buildsTheUrlFromTheSecretsHostWhenNoUrlIsGiven() throws SQLException {
        superuser("alter role " + LOGIN + " password 'host-password'");
        secretValues.put(ARN, secret("host-password", "localhost"));
        try (HikariDataSource pool = Databases.create(DatabaseSettings.fromSecret(null, ARN, 2), Duration.ofSeconds(5), secrets)) {
            assertThat(currentUser(pool)).isEqualTo(LOGIN);
        }
    }

    @Test
    void aWrongPasswordInTheSecretFailsTheConnection() {
        secretValues.put(ARN, secret("not-the-password", null));
        DatabaseSettings settings = DatabaseSettings.fromSecret(
                "jdbc:postgresql://localhost:" + DATABASE.port() + "/postgres", ARN, 2);
        try (HikariDataSource pool = Databases.create(settings, Duration.ofMillis(500), secrets)) {
            assertThatThrownBy(() -> currentUser(pool)).isInstanceOf(SQLException.class);
        }
    }

    private String secret(String password, String host) {
        return "{\"username\":\"" + LOGIN + "\",\"password\":\"" + password + "\""
                + (host == null ? "" : ",\"host\":\"" + host + "\",\"port\":" + DATABASE.port() + ",\"dbname\":\"postgres\"")
                + "}";
    }

    private static String currentUser(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void superuser(String sql) throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
