package dev.pipedesk.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Specs for the test handlers: this module's test classes plus aws-lambda-java-core, nothing else. */
public final class TestFunctions {
    private TestFunctions() {
    }

    public static FunctionSpec echo(String name, Duration timeout) {
        return spec(name, EchoHandler.class, Map.of("GREETING", "hello from " + name, "MAIN_CLASS", "test.Main"))
                .withTimeout(timeout);
    }

    public static FunctionSpec authorizer() {
        return spec("authorizer", TestAuthorizerHandler.class, Map.of());
    }

    public static FunctionSpec spec(String name, Class<?> handler, Map<String, String> env) {
        return new FunctionSpec(name, List.of(location(handler), location(Context.class)), handler.getName(), env,
                Duration.ofSeconds(10), 256, Duration.ofSeconds(60));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
