package dev.pipedesk.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipedesk.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
            JsonNode secretId = readBody(body).path("SecretId");
            Stored stored = secretId.isString() ? find(secretId.asString()) : null;
            if (stored == null) {
                error(exchange, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                return;
            }
            ObjectNode answer = Json.MAPPER.createObjectNode()
                    .put("ARN", stored.arn())
                    .put("Name", stored.name())
                    .put("SecretString", stored.value())
                    .put("VersionId", stored.versionId())
                    .put("CreatedDate", 0);
            answer.putArray("VersionStages").add("AWSCURRENT");
            send(exchange, 200, answer);
        }
    }

    private Stored find(String secretId) {
        Stored byItsName = byName.get(secretId);
        if (byItsName != null) {
            return byItsName;
        }
        return byName.values().stream().filter(s -> s.arn().equals(secretId)).findFirst().orElse(null);
    }

    private static JsonNode readBody(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            return Json.MAPPER.missingNode();
        }
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        send(exchange, 400, Json.MAPPER.createObjectNode().put("__type", type).put("message", message));
    }

    private static void send(HttpExchange exchange, int status, ObjectNode json) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(json);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
