package dev.pipedesk.local.testing;

import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.LocalStackOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One running {@link LocalStack} for the whole test JVM, shared by every test class that uses
 * this extension, and stopped when the test run ends (it lives in JUnit's root store).
 *
 * <p>The stack uses free ports, an embedded PostgreSQL, and runs the functions that are built
 * ({@code functions/<name>/target/lambda}); their logs go to {@code local/target/local-stack-logs}.
 * The audit queue's visibility timeout is 1 s, the schedule fires every 2 s and the sync backstop is 5 s
 * (see {@link LocalStackOptions#forTests}), so retries, redrives and backstop syncs take seconds.
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class CalendarFlowTest {
 *     @Test
 *     void createsAnEvent() {
 *         LocalStackExtension.requireFunction("calendar");
 *         ApiResponse r = LocalStackExtension.api().as(Role.SALES, "user-1").post("/api/calendar/events", Map.of(...));
 *     }
 * }
 * }</pre>
 * Test methods may also declare {@link Api} or {@link LocalStack} parameters.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {
    private static final Path LOG_DIR = Path.of("target", "local-stack-logs");
    /** Same retry and Meet-polling logic as production, with millisecond pauses. */
    private static final Map<String, String> FAST_GOOGLE_RETRIES = Map.of(
            "GOOGLE_RETRY_BASE_DELAY_MS", "10",
            "GOOGLE_RETRY_MAX_DELAY_MS", "80",
            "MEET_POLL_BASE_DELAY_MS", "10");
    private static volatile Shared shared;
    /** A stack that failed to start is not retried for every test class: they all fail fast with its reason. */
    private static volatile RuntimeException startFailure;

    /** The store entry; JUnit closes it once all tests have run. */
    private record Shared(LocalStack stack, Api api) implements AutoCloseable {
        @Override
        public void close() {
            shared = null;
            stack.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    private static Shared start(ExtensionContext context) {
        if (startFailure != null) {
            throw new IllegalStateException("The local stack could not start earlier in this test run: "
                    + startFailure.getMessage(), startFailure);
        }
        return context.getRoot().getStore(ExtensionContext.Namespace.create(LocalStackExtension.class))
                .computeIfAbsent(Shared.class, key -> {
                    clearOldLogs();
                    LocalStack stack;
                    try {
                        stack = LocalStack.start(LocalStackOptions.forTests(LOG_DIR.toAbsolutePath())
                                .withFunctionEnvironment("calendar", FAST_GOOGLE_RETRIES));
                    } catch (RuntimeException e) {
                        startFailure = e;
                        throw e;
                    }
                    Shared created = new Shared(stack, new Api(stack));
                    shared = created;
                    return created;
                }, Shared.class);
    }

    /** Each test run starts with empty logs, so what a test finds there is from this run. */
    private static void clearOldLogs() {
        Path dir = LOG_DIR.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    /** The shared stack (the test class must use this extension). */
    public static LocalStack stack() {
        return current().stack();
    }

    /** The API client factory of the shared stack. */
    public static Api api() {
        return current().api();
    }

    /** Skips the calling test when a function is not built (e.g. while it is being written). */
    public static void requireFunction(String name) {
        Assumptions.assumeTrue(stack().isRunning(name),
                "function " + name + " is not built (functions/" + name + "/target/lambda); run ./pipedesk build");
    }

    private static Shared current() {
        Shared current = shared;
        if (current == null) {
            throw new IllegalStateException("No local stack: annotate the test class with @ExtendWith(LocalStackExtension.class)");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Api.class || type == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Shared current = start(context);
        return parameter.getParameter().getType() == Api.class ? current.api() : current.stack();
    }
}
