package dev.pipedesk.postgres;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the database is. {@code DATABASE_URL} may be a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db}) or a libpq URL
 * ({@code postgres://user:password@host:5432/db}, as Supabase and Heroku print it);
 * {@code DATABASE_USER} / {@code DATABASE_PASSWORD} override credentials from the URL.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int maxPoolSize) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, DATABASE_SECRET_ARN, DATABASE_POOL_SIZE }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final int DEFAULT_POOL_SIZE = 2;

    public static DatabaseSettings fromEnv(Env env) {
        DatabaseSettings parsed = parse(env.required(Variable.DATABASE_URL.name()));
        return new DatabaseSettings(
                parsed.jdbcUrl(),
                env.optional(Variable.DATABASE_USER.name()).orElse(parsed.user()),
                env.optional(Variable.DATABASE_PASSWORD.name()).orElse(parsed.password()),
                env.getInt(Variable.DATABASE_POOL_SIZE.name(), DEFAULT_POOL_SIZE));
    }

    /** The environment variables that {@link #fromEnv} reads back as these settings. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Variable.DATABASE_URL.name(), jdbcUrl);
        if (user != null) {
            env.put(Variable.DATABASE_USER.name(), user);
        }
        if (password != null) {
            env.put(Variable.DATABASE_PASSWORD.name(), password);
        }
        env.put(Variable.DATABASE_POOL_SIZE.name(), Integer.toString(maxPoolSize));
        return env;
    }

    public DatabaseSettings withMaxPoolSize(int size) {
        return new DatabaseSettings(jdbcUrl, user, password, size);
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
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
