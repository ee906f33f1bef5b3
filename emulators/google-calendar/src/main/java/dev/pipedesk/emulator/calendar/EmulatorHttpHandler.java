package dev.pipedesk.emulator.calendar;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.pipedesk.core.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.ZipException;

/**
 * The one HTTP entry point: control calls go to {@link ControlHttpApi}; every other call is
 * recorded, may be failed or have its response dropped by an injected fault, is authenticated
 * and routed to the token endpoint, the calendars and events API or the channels API.
 */
record EmulatorHttpHandler(EventsApi events, ChannelsApi channels, TokenEndpoint tokens, ControlHttpApi control,
                           FaultInjector faults, CallLog calls, EmulatorOptions options) implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(EmulatorHttpHandler.class.getName());
    private static final String CONTROL_PREFIX = "/emulator/";

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            ApiRequest request;
            try {
                request = ApiRequest.from(exchange);
            } catch (ZipException e) {
                write(exchange, ApiResponse.error(GoogleApiError.parseError()));
                return;
            }
            if (request.path().startsWith(CONTROL_PREFIX)) {
                write(exchange, control.handle(request));
                return;
            }
            Optional<FaultInjector.InjectedFailure> failure = faults.takeFailure(request.method(), request.path());
            if (failure.isPresent()) {
                FaultInjector.InjectedFailure f = failure.get();
                ApiResponse response = ApiResponse.error(GoogleApiError.injected(f.status(), f.reason(), f.message()));
                if (f.retryAfter() != null) {
                    response = response.withHeader("Retry-After", Long.toString(f.retryAfter().toSeconds()));
                }
                calls.record(request, f.status(), false);
                write(exchange, response);
                return;
            }
            boolean drop = faults.takeDrop(request.method(), request.path());
            ApiResponse response = dispatch(request);
            calls.record(request, drop ? 0 : status(response), drop);
            if (drop) {
                // The change is committed; the client sees the connection close without a response.
                exchange.close();
                return;
            }
            write(exchange, response);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Calendar emulator failed on " + exchange.getRequestURI(), e);
            write(exchange, ApiResponse.error(GoogleApiError.injected(500, "backendError", null)));
        } finally {
            exchange.close();
        }
    }

    private ApiResponse dispatch(ApiRequest request) {
        try {
            if (request.path().equals("/token")) {
                return tokens.handle(request);
            }
            List<String> s = request.segments();
            if (s.size() < 3 || !s.get(0).equals("calendar") || !s.get(1).equals("v3")) {
                throw GoogleApiError.notFound();
            }
            Identity identity = authenticate(request);
            List<String> path = s.subList(2, s.size());
            String method = request.method();
            if (path.equals(List.of("channels", "stop"))) {
                requireMethod(method, "POST");
                return channels.stop(request);
            }
            if (path.size() == 2 && path.get(0).equals("calendars")) {
                requireMethod(method, "GET");
                return events.calendar(path.get(1), identity);
            }
            if (path.size() < 3 || !path.get(0).equals("calendars") || !path.get(2).equals("events")) {
                throw GoogleApiError.notFound();
            }
            String calendarId = path.get(1);
            if (path.size() == 3) {
                return switch (method) {
                    case "GET" -> events.list(request, calendarId, identity);
                    case "POST" -> events.insert(request, calendarId, identity);
                    default -> throw GoogleApiError.methodNotAllowed();
                };
            }
            if (path.size() != 4) {
                throw GoogleApiError.notFound();
            }
            String eventId = path.get(3);
            if (eventId.equals("watch") && method.equals("POST")) {
                return channels.watch(request, calendarId, identity);
            }
            return switch (method) {
                case "GET" -> events.get(request, calendarId, eventId, identity);
                case "PUT" -> events.update(request, calendarId, eventId, identity);
                case "PATCH" -> events.patch(request, calendarId, eventId, identity);
                case "DELETE" -> events.delete(request, calendarId, eventId, identity);
                default -> throw GoogleApiError.methodNotAllowed();
            };
        } catch (GoogleApiError e) {
            return ApiResponse.error(e);
        }
    }

    /** Maps the bearer token to the acting identity; injected and real 401s. */
    private Identity authenticate(ApiRequest request) {
        if (faults.takeAuthError()) {
            throw GoogleApiError.authError();
        }
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (options.requireAuthorization()) {
                throw GoogleApiError.loginRequired();
            }
            return Identity.UNKNOWN_BEARER;
        }
        String token = authorization.substring(7).trim();
        if (tokens.isRevoked(token)) {
            throw GoogleApiError.authError();
        }
        Optional<Identity> identity = tokens.identityFor(token);
        if (identity.isEmpty() && options.acceptOnlyIssuedTokens()) {
            throw GoogleApiError.authError();
        }
        return identity.orElse(Identity.UNKNOWN_BEARER);
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw GoogleApiError.methodNotAllowed();
        }
    }

    private static int status(ApiResponse response) {
        return switch (response) {
            case ApiResponse.Json json -> json.status();
            case ApiResponse.Empty empty -> empty.status();
            case ApiResponse.Raw raw -> raw.status();
        };
    }

    static void write(HttpExchange exchange, ApiResponse response) throws IOException {
        switch (response) {
            case ApiResponse.Json json -> {
                json.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
                send(exchange, json.status(), ApiResponse.JSON, Json.MAPPER.writeValueAsBytes(json.body()));
            }
            case ApiResponse.Raw raw -> send(exchange, raw.status(), raw.contentType(), raw.body());
            case ApiResponse.Empty empty -> exchange.sendResponseHeaders(empty.status(), -1);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
