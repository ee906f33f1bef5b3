package dev.pipedesk.emulator.calendar;

import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A local webhook endpoint (JDK HttpServer) that records every notification it receives. */
final class PushReceiver implements AutoCloseable {

    record Notification(String method, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        long number() {
            return Long.parseLong(header("X-Goog-Message-Number"));
        }

        String state() {
            return header("X-Goog-Resource-State");
        }

        String channelId() {
            return header("X-Goog-Channel-ID");
        }

        /** e.g. {@code c1#2:exists}: what a failed wait lists. */
        @Override
        public String toString() {
            return channelId() + "#" + header("X-Goog-Message-Number") + ":" + state();
        }
    }

    private final HttpServer server;
    private final List<Notification> received = new ArrayList<>();
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();

    private PushReceiver(HttpServer server) {
        this.server = server;
    }

    static PushReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            PushReceiver receiver = new PushReceiver(server);
            server.createContext("/", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((name, values) ->
                        headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
                int status = receiver.record(new Notification(exchange.getRequestMethod(), headers, body));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/calendar/push";
    }

    /** The next responses, in order; 200 once they are used up. */
    synchronized void respondNext(int... statuses) {
        for (int status : statuses) {
            scriptedStatuses.addLast(status);
        }
    }

    private synchronized int record(Notification notification) {
        received.add(notification);
        Integer scripted = scriptedStatuses.pollFirst();
        return scripted == null ? 200 : scripted;
    }

    synchronized List<Notification> received() {
        return List.copyOf(received);
    }

    /** Waits (bounded) until the received notifications satisfy the condition; answers them. */
    List<Notification> await(Predicate<List<Notification>> condition) {
        return Awaitility.await("notifications satisfying the condition").atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(this::received, condition);
    }

    List<Notification> awaitCount(int count) {
        return await(list -> list.size() >= count);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
