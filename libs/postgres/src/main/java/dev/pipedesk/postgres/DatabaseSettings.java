package dev.pipedesk.postgres;

import dev.pipedesk.core.Env;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is. {@code DATABASE_URL} may be a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db}) or a libpq URL
 * ({@code postgres://user:password@host:5432/db}, as Supabase and Heroku print it);
 * {@code DATABASE_USER} / {@code DATABASE_PASSWORD} override credentials from the URL.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int maxPoolSize) {

    public static final int DEFAULT_POOL_SIZE = 2;

    public static DatabaseSettings fromEnv(Env env) {
        DatabaseSettings parsed = parse(env.required("DATABASE_URL"));
        return new DatabaseSettings(
                parsed.jdbcUrl(),
                env.optional("DATABASE_USER").orElse(parsed.user()),
                env.optional("DATABASE_PASSWORD").orElse(parsed.password()),
                env.getInt("DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE));
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
        throw new IllegalStateException("DATABASE_URL must start with jdbc:postgresql:// or postgres://");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
