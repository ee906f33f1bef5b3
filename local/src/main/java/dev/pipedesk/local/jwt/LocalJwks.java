package dev.pipedesk.local.jwt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipedesk.auth.Es256KeyPair;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The local identity provider's JWKS endpoint: {@code GET /.well-known/jwks.json} on 127.0.0.1
 * (a port of its own, chosen at start) serves the public half of the local ES256 key, as
 * Supabase serves its signing keys. Anything else is 404.
 */
public final class LocalJwks implements AutoCloseable {
    public static final String PATH = "/.well-known/jwks.json";

    private final HttpServer server;

    private LocalJwks(HttpServer server) {
        this.server = server;
    }

    public static LocalJwks start(Es256KeyPair key) throws IOException {
        byte[] jwks = key.publicJwksJson().getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean found = PATH.equals(exchange.getRequestURI().getPath());
                boolean get = "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
                if (found && get) {
                    respond(exchange, 200, jwks);
                } else {
                    respond(exchange, found ? 405 : 404, new byte[0]);
                }
            }
        });
        server.start();
        return new LocalJwks(server);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.getResponseHeaders().add("cache-control", "max-age=600");
        boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** e.g. {@code http://127.0.0.1:41234/.well-known/jwks.json}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
