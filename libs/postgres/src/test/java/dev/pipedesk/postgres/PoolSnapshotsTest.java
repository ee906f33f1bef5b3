package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.lambda.SnapStartResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pool across a SnapStart snapshot, the hooks called as Lambda calls them, on a real PostgreSQL. */
@Tag("integration")
class PoolSnapshotsTest {
    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase();

    private static HikariDataSource pool() {
        return Databases.create(new DatabaseSettings(database.jdbcUrl(), "postgres", "postgres", 2));
    }

    /** The backend serving a connection of {@code pool}, as {@code pid@backend_start} (a pid alone may be reused). */
    private static String backend(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement query = connection.createStatement();
             ResultSet rs = query.executeQuery("select pid || '@' || backend_start from pg_stat_activity where pid = pg_backend_pid()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean alive(String backend) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement query = connection.createStatement();
             ResultSet rs = query.executeQuery("select count(*) from pg_stat_activity where pid || '@' || backend_start = '"
                     + backend + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    @Test
    void afterARestoreTheNextConnectionIsANewBackendAndTheOldOneIsClosed() throws Exception {
        try (HikariDataSource pool = pool()) {
            PoolSnapshots snapshots = new PoolSnapshots(pool);
            String beforeSnapshot = backend(pool);
            assertThat(backend(pool)).isEqualTo(beforeSnapshot); // the pool reuses its connection until then

            snapshots.beforeCheckpoint();

            assertThat(snapshots.connections()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(beforeSnapshot));

            snapshots.afterRestore();

            String afterRestore = backend(pool);
            assertThat(afterRestore).isNotEqualTo(beforeSnapshot);
            assertThat(alive(afterRestore)).isTrue();
        }
    }

    @Test
    void aFunctionsResourceGetsThePoolStepsAfterItsOwn() throws Exception {
        try (HikariDataSource pool = pool()) {
            PoolSnapshots snapshots = new PoolSnapshots(pool);
            SnapStartResource resource = snapshots.addTo(SnapStartResource.forFunction("timeline")
                    .prime("the function's own priming", () -> { })).build();
            String beforeSnapshot = backend(pool);

            resource.beforeCheckpoint(null);
            assertThat(resource.primingSteps()).containsExactly("the function's own priming", "JDBC driver");
            assertThat(snapshots.connections()).isZero();

            resource.afterRestore(null);
            assertThat(backend(pool)).isNotEqualTo(beforeSnapshot);
        }
    }

    @Test
    void primingTheDriverOpensNoConnection() throws Exception {
        try (HikariDataSource pool = pool()) {
            PoolSnapshots snapshots = new PoolSnapshots(pool);

            snapshots.primeDriver();

            assertThat(snapshots.connections()).isZero();
            assertThat(DriverManager.getDriver(pool.getJdbcUrl())).isInstanceOf(org.postgresql.Driver.class);
        }
    }

    @Test
    void primesTheDriverForAPoolWhoseCredentialsComeFromASecret() {
        // Databases.create with DATABASE_SECRET_ARN: the pool has a data source and no URL of its own.
        HikariConfig config = new HikariConfig();
        config.setDataSource(new org.postgresql.ds.PGSimpleDataSource());
        config.setMinimumIdle(0);
        config.setAllowPoolSuspension(true);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            PoolSnapshots snapshots = new PoolSnapshots(pool);
            assertThat(pool.getJdbcUrl()).isNull();

            snapshots.primeDriver();

            assertThat(snapshots.connections()).isZero();
        }
    }

    @Test
    void refusesAPoolThatCannotBeSuspended() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThatThrownBy(() -> new PoolSnapshots(pool)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not allow suspension");
        }
    }
}
