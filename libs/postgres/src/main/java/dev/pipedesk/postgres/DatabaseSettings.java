package dev.pipedesk.postgres;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the database is, and whose credentials to connect with. {@code DATABASE_URL} may be a JDBC
 * URL ({@code jdbc:postgresql://host:5432/db}) or a libpq URL
 * ({@code postgres://user:password@host:5432/db}, as Supabase and Heroku print it);
 * {@code DATABASE_USER} / {@code DATABASE_PASSWORD} override credentials from the URL.
 *
 * <p>In AWS, {@code DATABASE_SECRET_ARN} names a Secrets Manager secret in RDS's format
 * ({@link DatabaseCredentials}) instead: user and password come from it, read when a connection
 * is opened ({@link Databases}), never here. With it, {@code DATABASE_URL} is optional (the URL
 * is built from the secret's host, port and dbname) and, when set, its host wins; it must then
 * carry no credentials, and {@code DATABASE_USER}/{@code DATABASE_PASSWORD} must be unset.
 *
 * @param jdbcUrl   the JDBC URL; null only with a secret that names the host
 * @param secretArn the Secrets Manager secret holding the credentials, or null
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int maxPoolSize, String secretArn) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, DATABASE_SECRET_ARN, DATABASE_POOL_SIZE }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final int DEFAULT_POOL_SIZE = 2;

    public DatabaseSettings {
        if (secretArn != null && secretArn.isBlank()) {
            secretArn = null;
        }
        if (jdbcUrl == null && secretArn == null) {
            throw new IllegalArgumentException("a JDBC URL is required without a database secret");
        }
        if (secretArn != null && (user != null || password != null)) {
            throw new IllegalArgumentException("credentials come from the database secret: no user or password besides it");
        }
    }

    /** Settings with plain credentials (or none). */
    public DatabaseSettings(String jdbcUrl, String user, String password, int maxPoolSize) {
        this(jdbcUrl, user, password, maxPoolSize, null);
    }

    /** Settings whose credentials (and, without {@code jdbcUrl}, host, port and dbname) come from a secret. */
    public static DatabaseSettings fromSecret(String jdbcUrl, String secretArn, int maxPoolSize) {
        return new DatabaseSettings(jdbcUrl, null, null, maxPoolSize, secretArn);
    }

    /**
     * @throws IllegalStateException when {@code DATABASE_URL} is missing (and no secret is given)
     *                               or not a PostgreSQL URL, or a secret is given together with
     *                               plain credentials
     */
    public static DatabaseSettings fromEnv(Env env) {
        Optional<String> secretArn = env.optional(Variable.DATABASE_SECRET_ARN.name());
        int poolSize = env.getInt(Variable.DATABASE_POOL_SIZE.name(), DEFAULT_POOL_SIZE);
        if (secretArn.isPresent()) {
            for (Variable plain : List.of(Variable.DATABASE_USER, Variable.DATABASE_PASSWORD)) {
                if (env.optional(plain.name()).isPresent()) {
                    throw new IllegalStateException(Variable.DATABASE_SECRET_ARN + " and " + plain
                            + " are both set: the database credentials come from the secret; unset " + plain);
                }
            }
            String url = env.optional(Variable.DATABASE_URL.name()).map(raw -> {
                DatabaseSettings parsed = parse(raw);
                if (parsed.user() != null || parsed.password() != null) {
                    throw new IllegalStateException(Variable.DATABASE_SECRET_ARN + " is set, so " + Variable.DATABASE_URL
                            + " must carry no credentials (they come from the secret)");
                }
                return parsed.jdbcUrl();
            }).orElse(null);
            return fromSecret(url, secretArn.get(), poolSize);
        }
        DatabaseSettings parsed = parse(env.required(Variable.DATABASE_URL.name()));
        return new DatabaseSettings(
                parsed.jdbcUrl(),
                env.optional(Variable.DATABASE_USER.name()).orElse(parsed.user()),
                env.optional(Variable.DATABASE_PASSWORD.name()).orElse(parsed.password()),
                poolSize);
    }

    /** The environment variables that {@link #fromEnv} reads back as these settings. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (jdbcUrl != null) {
            env.put(Variable.DATABASE_URL.name(), jdbcUrl);
        }
        if (user != null) {
            env.put(Variable.DATABASE_USER.name(), user);
        }
        if (password != null) {
            env.put(Variable.DATABASE_PASSWORD.name(), password);
        }
        if (secretArn != null) {
            env.put(Variable.DATABASE_SECRET_ARN.name(), secretArn);
        }
        env.put(Variable.DATABASE_POOL_SIZE.name(), Integer.toString(maxPoolSize));
        return env;
    }

    public DatabaseSettings withMaxPoolSize(int size) {
        return new DatabaseSettings(jdbcUrl, user, password, size, secretArn);
    }

    static DatabaseSettings parse(String url) {
        if (url.startsWith("jdbc:")) {
            return new DatabaseSettings(url, null, null, DEFAULT_POOL_SIZE);
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri = URI.create(url);
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            int port = uri.getPort() > 0 ? uri.getPort() : 5432;
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
            return new DatabaseSettings(jdbc, user, password, DEFAULT_POOL_SIZE);
        }
        throw new IllegalStateException(Variable.DATABASE_URL + " must start with jdbc:postgresql:// or postgres://");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", maxPoolSize=" + maxPoolSize
                + (secretArn != null ? ", secretArn=" + secretArn : "") + "]";
    }
}
