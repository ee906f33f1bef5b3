package dev.pipedesk.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.LogCapture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorizer's SnapStart hooks, registered by its real wiring (FunctionInvoker started as
 * Lambda does) with a JWKS URL on a local server that counts what it is asked: priming verifies a
 * token that fails before any key is looked up, so the server is never asked.
 */
class AuthorizerSnapStartTest {
    private static final AtomicInteger JWKS_REQUESTS = new AtomicInteger();
    private static HttpServer jwks;
    private static LambdaFunctionHarness function;

    @BeforeAll
    static void start() throws Exception {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/", exchange -> {
            JWKS_REQUESTS.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        jwks.start();
        function = LambdaFunctionHarness.start(AuthorizerApplication.class, Map.of(
                JwtSettings.Variable.JWT_JWKS_URL.name(), "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json",
                JwtSettings.Variable.JWT_ISSUER.name(), "https://issuer.example.com/",
                JwtSettings.Variable.JWT_AUDIENCE.name(), "pipedesk"));
    }

    @AfterAll
    static void stop() {
        function.close();
        jwks.stop(0);
    }

    @Test
    void primesEveryStepWithoutFetchingTheSigningKeys() throws Exception {
        SnapStartResource resource = SnapStartHooks.registered("authorizer");
        JWKS_REQUESTS.set(0);

        try (LogCapture log = LogCapture.of(SnapStartResource.class.getName())) {
            resource.beforeCheckpoint(null);
            resource.afterRestore(null);
            assertThat(log.records()).noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
        }

        assertThat(resource.primingSteps()).hasSize(2);
        assertThat(JWKS_REQUESTS).hasValue(0);
    }
}
