package dev.pipedesk.testing;

import dev.pipedesk.localaws.LambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Runs a function as Lambda does: {@link FunctionInvoker#handleRequest} with the raw event JSON
 * and a {@link LambdaContext}, returning the JSON it writes. The main class goes in
 * {@code MAIN_CLASS}, as the jar manifest's {@code Start-Class} would.
 *
 * <p>FunctionInvoker finds its main class, and the function its configuration, in the JVM's
 * environment, which a test cannot set; so they are handed over as system properties (the
 * function's Spring environment sees them like environment variables). System properties are
 * global, so a harness holds them from {@link #start} to {@link #close()} ({@link SystemPropertiesLease}):
 * a harness in a test running side by side waits until this one is closed, and closing puts back
 * the values the properties had before. Close every harness (e.g. in {@code @AfterAll}).
 */
public final class LambdaFunctionHarness implements AutoCloseable {
    /** How long {@link #start} waits for another harness to close. */
    private static final Duration WAIT_FOR_OTHER_HARNESS = Duration.ofMinutes(5);
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(60);
    private static final String FUNCTION_NAME = "pipedesk-test";
    private static final String REGION = "us-east-1";
    private static final String LOG_STREAM = "2026/01/01/[$LATEST]0123456789abcdef";
    private static final int MEMORY_MB = 512;

    private final FunctionInvoker invoker;
    private final SystemPropertiesLease properties;

    private LambdaFunctionHarness(FunctionInvoker invoker, SystemPropertiesLease properties) {
        this.invoker = invoker;
        this.properties = properties;
    }

    /**
     * Starts the function's Spring context through FunctionInvoker with {@code configuration} as its
     * environment. Waits while another harness is open.
     *
     * @throws IllegalStateException when this thread still has a harness open (it would wait for
     *                               itself), or another one stays open too long
     */
    public static LambdaFunctionHarness start(Class<?> mainClass, Map<String, String> configuration) {
        Map<String, String> environment = new LinkedHashMap<>(configuration);
        environment.put("MAIN_CLASS", mainClass.getName());
        SystemPropertiesLease properties = SystemPropertiesLease.acquire(environment, WAIT_FOR_OTHER_HARNESS);
        try {
            return new LambdaFunctionHarness(new FunctionInvoker(), properties);
        } catch (RuntimeException | Error e) {
            properties.close();
            throw e;
        }
    }

    /** One invocation; returns what the function wrote to the output stream. */
    public String invoke(String eventJson) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            invoker.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), output,
                    context());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    /** One invocation with the event fixture at {@code resource} on the test's class path (e.g. {@code events/scheduled-event.json}). */
    public String invokeFixture(String resource) {
        try (InputStream event = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (event == null) {
                throw new IllegalArgumentException("No event fixture " + resource + " on the class path");
            }
            return invoke(new String(event.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts back the system properties as they were before {@link #start} and lets the next harness start. Idempotent. */
    @Override
    public void close() {
        properties.close();
    }

    /** The Lambda context of one invocation; its logger writes to the console as it is now. */
    private LambdaContext context() {
        return new LambdaContext(UUID.randomUUID().toString(), FUNCTION_NAME, "$LATEST", "/aws/lambda/" + FUNCTION_NAME,
                LOG_STREAM, LambdaContext.functionArn(REGION, FUNCTION_NAME), MEMORY_MB,
                System.currentTimeMillis() + INVOCATION_TIMEOUT.toMillis(), LambdaContext.printingTo(System.out));
    }
}
