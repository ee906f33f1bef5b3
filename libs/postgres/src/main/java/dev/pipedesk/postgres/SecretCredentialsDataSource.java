package dev.pipedesk.postgres;

import dev.pipedesk.secrets.RefreshingSecret;
import dev.pipedesk.secrets.SecretUnavailableException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * Connections opened with the credentials of a database secret, read when each connection is
 * opened (the secret is cached for its TTL: {@link RefreshingSecret}). The pool wraps it
 * ({@link Databases}), so a rotated password is used by the next new connection. When the
 * database refuses the password (SQLState {@value #INVALID_PASSWORD}) the secret is read again at
 * once and, if it changed, the connection is tried once more: a rotation is taken up without
 * waiting for the TTL.
 */
final class SecretCredentialsDataSource implements DataSource {
    /** PostgreSQL's {@code invalid_password}: wrong password (or no such login). */
    static final String INVALID_PASSWORD = "28P01";
    private static final Logger LOG = Logger.getLogger(SecretCredentialsDataSource.class.getName());

    private final String configuredUrl;
    private final RefreshingSecret<DatabaseCredentials> secret;
    private final Driver driver = new Driver();
    private volatile int loginTimeoutSeconds;

    SecretCredentialsDataSource(String configuredUrl, RefreshingSecret<DatabaseCredentials> secret) {
        this.configuredUrl = configuredUrl;
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    @Override
    public Connection getConnection() throws SQLException {
        DatabaseCredentials credentials = credentials();
        try {
            return connect(credentials);
        } catch (SQLException e) {
            if (!INVALID_PASSWORD.equals(e.getSQLState())) {
                throw e;
            }
            secret.invalidate();
            DatabaseCredentials fresh = credentials();
            if (fresh.equals(credentials)) {
                throw e;
            }
            LOG.info(() -> "The database refused the credentials of secret " + secret.arn()
                    + "; connecting with its new value (rotated)");
            return connect(fresh);
        }
    }

    private DatabaseCredentials credentials() throws SQLException {
        try {
            return secret.get();
        } catch (SecretUnavailableException e) {
            throw new SQLException("No database credentials: " + e.getMessage(), "08001", e);
        }
    }

    private Connection connect(DatabaseCredentials credentials) throws SQLException {
        String url;
        try {
            url = credentials.jdbcUrl(configuredUrl);
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), "08001");
        }
        Properties properties = new Properties();
        properties.setProperty("user", credentials.username());
        properties.setProperty("password", credentials.password());
        if (loginTimeoutSeconds > 0) {
            properties.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        }
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL: " + url, "08001");
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The credentials come from the database secret");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.pipedesk.postgres");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
