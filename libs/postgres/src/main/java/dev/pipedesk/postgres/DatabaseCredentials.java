package dev.pipedesk.postgres;

import dev.pipedesk.core.Json;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A database secret in RDS's format (what RDS, Aurora and the CDK's {@code DatabaseSecret}
 * write): {@code {"username","password"}} plus optional {@code "host"}, {@code "port"} and
 * {@code "dbname"} (other fields, such as {@code engine}, are ignored).
 *
 * @param port 5432 when the secret has none
 * @param host null when the secret has none (then {@code DATABASE_URL} must be set)
 */
public record DatabaseCredentials(String username, String password, String host, int port, String dbname) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-:\\[\\]]+");
    private static final Pattern DBNAME = Pattern.compile("[A-Za-z0-9_\\-]+");

    public DatabaseCredentials {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("the database secret has no username");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the database secret has no password");
        }
        if (host != null && !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("the database secret's host is not a host name");
        }
        if (dbname != null && !DBNAME.matcher(dbname).matches()) {
            throw new IllegalArgumentException("the database secret's dbname is not a plain database name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the database secret's port is out of range");
        }
    }

    /**
     * Parses the secret's JSON.
     *
     * @throws IllegalArgumentException when it is not a JSON object with a username and a password
     *                                  (the message never contains the secret)
     */
    public static DatabaseCredentials parse(String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the database secret is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the database secret is not a JSON object");
        }
        int port = 5432;
        JsonNode portNode = node.get("port");
        if (portNode != null && !portNode.isNull()) {
            if (portNode.isIntegralNumber()) {
                port = portNode.intValue();
            } else if (portNode.isString() && portNode.stringValue().trim().matches("\\d{1,5}")) {
                port = Integer.parseInt(portNode.stringValue().trim());
            } else {
                throw new IllegalArgumentException("the database secret's port is not a number");
            }
        }
        return new DatabaseCredentials(text(node, "username"), text(node, "password"), blankToNull(text(node, "host")), port,
                blankToNull(text(node, "dbname")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The JDBC URL to connect to: {@code configuredUrl} when set (its host wins), else one built
     * from the secret's host, port and dbname ({@code postgres} when it names none).
     *
     * @throws IllegalArgumentException when neither gives a host
     */
    public String jdbcUrl(String configuredUrl) {
        if (configuredUrl != null) {
            return configuredUrl;
        }
        if (host == null) {
            throw new IllegalArgumentException("DATABASE_URL is unset and the database secret names no host");
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + (dbname != null ? dbname : "postgres");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "DatabaseCredentials[username=" + username + ", host=" + host + ", port=" + port + ", dbname=" + dbname + "]";
    }
}
