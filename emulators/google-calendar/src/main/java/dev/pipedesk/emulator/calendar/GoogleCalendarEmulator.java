package dev.pipedesk.emulator.calendar;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local Google Calendar v3 server (events, channels, the OAuth token endpoint) that the real
 * google-api-services-calendar client can use through {@code Calendar.Builder#setRootUrl}, with
 * a control API for tests. Binds 127.0.0.1.
 */
public final class GoogleCalendarEmulator implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService requestExecutor;
    private final PushDispatcher push;
    private final EmulatorControl control;
    private final EmulatorOptions options;

    private GoogleCalendarEmulator(HttpServer server, ExecutorService requestExecutor, PushDispatcher push,
                                   EmulatorControl control, EmulatorOptions options) {
        this.server = server;
        this.requestExecutor = requestExecutor;
        this.push = push;
        this.control = control;
        this.options = options;
    }

    /**
     * Small responses without Nagle's delay: the JDK's HttpServer leaves TCP_NODELAY off unless this
     * property is set before its first server starts, and a response of more than one segment then
     * waits for the client's delayed ACK (about 40 ms).
     */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    /** Starts a server; port 0 in the options picks a free port. */
    public static GoogleCalendarEmulator start(EmulatorOptions options) {
        System.setProperty(NODELAY_PROPERTY, "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the calendar emulator to 127.0.0.1:" + options.port(), e);
        }
        URI rootUrl = rootUrl(server);

        ChannelRegistry channels = new ChannelRegistry();
        PushDispatcher push = new PushDispatcher(channels, options.pushInitialBackoff(), options.pushMaxAttempts());
        Conferences conferences = new Conferences(options.conferenceMode());
        Switches switches = new Switches(options);
        CalendarService service = new CalendarService(conferences, switches, push::calendarChanged);
        FaultInjector faults = new FaultInjector();
        CallLog calls = new CallLog();
        TokenEndpoint tokens = new TokenEndpoint();
        EmulatorControl control = new EmulatorControl(service, channels, push, faults, calls, conferences, switches,
                tokens);

        server.createContext("/", new EmulatorHttpHandler(
                new EventsApi(service),
                new ChannelsApi(service, channels, push, options, rootUrl),
                tokens,
                new ControlHttpApi(control),
                faults,
                calls,
                options));
        ExecutorService requestExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("calendar-emulator-http-", 0).factory());
        server.setExecutor(requestExecutor);
        server.start();
        return new GoogleCalendarEmulator(server, requestExecutor, push, control, options);
    }

    /** E.g. {@code http://127.0.0.1:PORT/}, for {@code Calendar.Builder#setRootUrl}. */
    public URI rootUrl() {
        return rootUrl(server);
    }

    private static URI rootUrl(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The OAuth token endpoint: {@code rootUrl() + "token"}. */
    public URI tokenUri() {
        return rootUrl().resolve("token");
    }

    public EmulatorOptions options() {
        return options;
    }

    /**
     * A service-account key file (type service_account, a fresh RSA key as PKCS#8 PEM,
     * client_email, private_key_id, token_uri = {@link #tokenUri()}) for
     * {@code ServiceAccountCredentials.fromStream}.
     */
    public String serviceAccountKeyJson(String clientEmail) {
        return ServiceAccountKeys.keyJson(clientEmail, tokenUri());
    }

    public EmulatorControl control() {
        return control;
    }

    @Override
    public void close() {
        server.stop(0);
        push.close();
        requestExecutor.shutdownNow();
    }
}
