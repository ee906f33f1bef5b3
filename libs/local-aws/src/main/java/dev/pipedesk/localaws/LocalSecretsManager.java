package dev.pipedesk.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Secrets Manager stand-in on a loopback port, for tests driving the real AWS SDK client
 * with an endpoint override. It speaks the service's JSON 1.1 protocol for one operation:
 * {@code POST /} with {@code X-Amz-Target: secretsmanager.GetSecretValue} and {@code {"SecretId"}}
 * (an ARN or a name) → {@code {"ARN","Name","SecretString","VersionId","VersionStages"}}; an
 * unknown id → 400 {@code ResourceNotFoundException}; any other operation → 400
 * {@code InvalidRequestException}. Signatures and credentials are not checked (use
 * {@link LocalSqs#ACCESS_KEY_ID}-style dummy keys). {@link #put} creates or rotates a secret.
 */
public final class LocalSecretsManager implements AutoCloseable {
    public static final String REGION = LocalSqs.REGION;
    public static final String ACCOUNT_ID = "000000000000";
    private static final String GET_SECRET_VALUE = "secretsmanager.GetSecretValue";
    private static final Pattern SECRET_ID = Pattern.compile("\"SecretId\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Stored(String arn, String name, String value, String versionId) {
    }

    private final HttpServer server;
    private final Map<String, Stored> byName = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    private LocalSecretsManager(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static LocalSecretsManager start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LocalSecretsManager secrets = new LocalSecretsManager(server);
            server.createContext("/", secrets::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint to give the SDK ({@code endpointOverride}, or {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}). */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /**
     * Creates the secret {@code name} with {@code value}, or gives it a new value (a rotation: a
     * new version id). Returns its ARN.
     */
    public String put(String name, String value) {
        Stored stored = byName.compute(name, (key, old) -> new Stored(
                old != null ? old.arn() : "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT_ID + ":secret:" + name + "-"
                        + UUID.randomUUID().toString().substring(0, 6),
                name, value, UUID.randomUUID().toString()));
        return stored.arn();
    }

    /** How many {@code GetSecretValue} requests were answered (found or not). */
    public int reads() {
        return reads.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || !GET_SECRET_VALUE.equals(target)) {
                error(exchange, "InvalidRequestException", "Only GetSecretValue is supported here, not " + target);
                return;
            }
            reads.incrementAndGet();
            Matcher id = SECRET_ID.matcher(new String(body, StandardCharsets.UTF_8));
            Stored stored = id.find() ? find(unescape(id.group(1))) : null;
            if (stored == null) {
                error(exchange, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                return;
            }
            Map<String, String> answer = new LinkedHashMap<>();
            answer.put("ARN", stored.arn());
            answer.put("Name", stored.name());
            answer.put("SecretString", stored.value());
            answer.put("VersionId", stored.versionId());
            StringBuilder json = new StringBuilder("{");
            answer.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append(quote(key)).append(':').append(quote(value)));
            json.append(",\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":0}");
            send(exchange, 200, json.toString());
        }
    }

    private Stored find(String secretId) {
        Stored byItsName = byName.get(secretId);
        if (byItsName != null) {
            return byItsName;
        }
        return byName.values().stream().filter(s -> s.arn().equals(secretId)).findFirst().orElse(null);
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        send(exchange, 400, "{\"__type\":" + quote(type) + ",\"message\":" + quote(message) + "}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
