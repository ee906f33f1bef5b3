package dev.pipedesk.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code POST /webhooks/google-calendar} on a local HTTP server, answered by a
 * {@link NotificationGate} with the statuses the webhook function gives its verdicts (2xx for the
 * accepted ones, 400, 401, 403, 503): where the emulator's real pushes land in a test. Every
 * notification is kept with its verdict.
 */
final class WebhookEndpoint implements AutoCloseable {

    /** A notification as it arrived, with what the gate made of it and the status answered. */
    record Admitted(PushNotification notification, Verdict verdict, int status) {
        String channelId() {
            return notification.channelId();
        }

        String resourceState() {
            return notification.resourceState();
        }
    }

    private final HttpServer server;
    private final List<Admitted> admitted = new CopyOnWriteArrayList<>();
    private volatile NotificationGate gate;

    private WebhookEndpoint(HttpServer server) {
        this.server = server;
    }

    static WebhookEndpoint start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookEndpoint endpoint = new WebhookEndpoint(server);
            server.createContext(SyncSettings.WEBHOOK_PATH, endpoint::handle);
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to configure as {@code WEBHOOK_BASE_URL}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on notifications go to {@code next}; what arrived before is forgotten. */
    void serve(NotificationGate next) {
        gate = next;
        admitted.clear();
    }

    List<Admitted> admitted() {
        return List.copyOf(admitted);
    }

    List<Admitted> admitted(String channelId) {
        return admitted.stream().filter(a -> channelId.equals(a.channelId())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            NotificationGate current = gate;
            if (!"POST".equals(exchange.getRequestMethod()) || current == null) {
                exchange.sendResponseHeaders(current == null ? 503 : 405, -1);
                return;
            }
            PushNotification notification = PushNotification.fromHeaders(exchange.getRequestHeaders()::getFirst,
                    exchange.getRemoteAddress().getAddress().getHostAddress());
            Verdict verdict = current.admit(notification);
            int status = switch (verdict) {
                case Verdict.Ignored ignored -> 200;
                case Verdict.Acknowledged acknowledged -> 200;
                case Verdict.Enqueued enqueued -> 200;
                case Verdict.Malformed malformed -> 400;
                case Verdict.Unauthenticated unauthenticated -> 401;
                case Verdict.Forbidden forbidden -> 403;
                case Verdict.RetryLater retry -> 503;
            };
            admitted.add(new Admitted(notification, verdict, status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
