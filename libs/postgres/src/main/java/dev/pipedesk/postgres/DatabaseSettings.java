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

    public static final String URL_VARIABLE = "DATABASE_URL";
    public static final String USER_VARIABLE = "DATABASE_USER";
    public static final String PASSWORD_VARIABLE = "DATABASE_PASSWORD";
    public static final String POOL_SIZE_VARIABLE = "DATABASE_POOL_SIZE";
    /** Every variable {@link #fromEnv} reads. */
    public static final List<String> VARIABLES = List.of(URL_VARIABLE, USER_VARIABLE, PASSWORD_VARIABLE, POOL_SIZE_VARIABLE);

    public static final int DEFAULT_POOL_SIZE = 2;

    public static DatabaseSettings fromEnv(Env env) {
        DatabaseSettings parsed = parse(env.required(URL_VARIABLE));
        return new DatabaseSettings(
                parsed.jdbcUrl(),
                env.optional(USER_VARIABLE).orElse(parsed.user()),
                env.optional(PASSWORD_VARIABLE).orElse(parsed.password()),
                env.getInt(POOL_SIZE_VARIABLE, DEFAULT_POOL_SIZE));
    }

    /** The environment variables that {@link #fromEnv} reads back as these settings. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(URL_VARIABLE, jdbcUrl);
        if (user != null) {
            env.put(USER_VARIABLE, user);
        }
        if (password != null) {
            env.put(PASSWORD_VARIABLE, password);
        }
        env.put(POOL_SIZE_VARIABLE, Integer.toString(maxPoolSize));
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
        throw new IllegalStateException(URL_VARIABLE + " must start with jdbc:postgresql:// or postgres://");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
