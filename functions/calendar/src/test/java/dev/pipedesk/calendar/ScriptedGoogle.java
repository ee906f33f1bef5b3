package dev.pipedesk.calendar;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import dev.pipedesk.localaws.TestClock;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Google Calendar as a script on a test clock, for the real gateway and its HTTP client: each
 * request is answered by {@link Script}; {@link #hang} stands for a Google that never answers
 * (the request takes its whole connect and read timeouts on the clock, then times out). Nothing
 * waits: only the clock moves.
 */
final class ScriptedGoogle extends HttpTransport {

    /** The answer to one request. */
    @FunctionalInterface
    interface Script {
        LowLevelHttpResponse answer(Request request) throws IOException;
    }

    /** A request as it left the client: its method (after X-HTTP-Method-Override), URL and timeouts. */
    record Request(String method, String url, Duration connectTimeout, Duration readTimeout) {
    }

    private final TestClock clock;
    private final Script script;

    ScriptedGoogle(TestClock clock, Script script) {
        this.clock = clock;
        this.script = script;
    }

    /** Never answers: the request runs out its timeouts, then fails as the HTTP client would. */
    LowLevelHttpResponse hang(Request request) throws IOException {
        clock.advance(request.connectTimeout().plus(request.readTimeout()));
        throw new SocketTimeoutException("Read timed out");
    }

    static LowLevelHttpResponse json(int status, String body) {
        return new MockLowLevelHttpResponse().setStatusCode(status).setContentType("application/json; charset=UTF-8")
                .setContent(body);
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
        return new LowLevelHttpRequest() {
            private String effectiveMethod = method;
            private Duration connectTimeout = Duration.ZERO;
            private Duration readTimeout = Duration.ZERO;

            @Override
            public void addHeader(String name, String value) {
                if (name.equalsIgnoreCase("X-HTTP-Method-Override")) {
                    effectiveMethod = value;
                }
            }

            @Override
            public void setTimeout(int connectMillis, int readMillis) {
                connectTimeout = Duration.ofMillis(connectMillis);
                readTimeout = Duration.ofMillis(readMillis);
            }

            @Override
            public LowLevelHttpResponse execute() throws IOException {
                return script.answer(new Request(effectiveMethod, url, connectTimeout, readTimeout));
            }
        };
    }
}
