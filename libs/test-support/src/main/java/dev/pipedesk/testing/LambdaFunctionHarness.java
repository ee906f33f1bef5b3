package dev.pipedesk.testing;

import dev.pipedesk.localaws.LambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Runs a function as Lambda does: {@link FunctionInvoker#handleRequest} with the raw event JSON
 * and a {@link LambdaContext}, returning the JSON it writes. The main class goes in
 * {@code MAIN_CLASS}, as the jar manifest's {@code Start-Class} would.
 *
 * <p>FunctionInvoker finds its main class, and the function its configuration, in the JVM's
 * environment, which a test cannot set; so the configuration is handed over as system properties
 * (the function's Spring environment sees them like environment variables). System properties
 * are global, so one harness at a time owns them: {@link #start} waits while another harness is
 * open (in a test running side by side), and {@link #close()} puts back the values the properties
 * had before and lets the next one start. Close every harness (e.g. in {@code @AfterAll}).
 */
public final class LambdaFunctionHarness implements AutoCloseable {
    /** How long {@link #start} waits for another harness to close. */
    private static final Duration WAIT_FOR_OTHER_HARNESS = Duration.ofMinutes(5);
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(60);
    private static final String FUNCTION_NAME = "pipedesk-test";
    private static final String REGION = "us-east-1";
    private static final String LOG_STREAM = "2026/01/01/[$LATEST]0123456789abcdef";
    private static final int MEMORY_MB = 512;
    /** Held from start to close: the system properties belong to that harness. */
    private static final Semaphore SYSTEM_PROPERTIES = new Semaphore(1, true);
    private static volatile Thread openedBy;

    private final FunctionInvoker invoker;
    /** Each property this harness set, with the value it had before (null: it was not set). */
    private final Map<String, String> previousValues;
    private boolean closed;

    private LambdaFunctionHarness(FunctionInvoker invoker, Map<String, String> previousValues) {
        this.invoker = invoker;
        this.previousValues = previousValues;
    }

    /**
     * Starts the function's Spring context through FunctionInvoker with {@code configuration} as its
     * environment. Waits while another harness is open.
     *
     * @throws IllegalStateException when this thread still has a harness open (it would wait for
     *                               itself), or another one stays open too long
     */
    public static LambdaFunctionHarness start(Class<?> mainClass, Map<String, String> configuration) {
        Map<String, String> properties = new LinkedHashMap<>(configuration);
        properties.put("MAIN_CLASS", mainClass.getName());
        acquireSystemProperties();
        Map<String, String> previousValues = new HashMap<>();
        try {
            properties.forEach((name, value) -> previousValues.put(name, System.setProperty(name, value)));
            return new LambdaFunctionHarness(new FunctionInvoker(), previousValues);
        } catch (RuntimeException | Error e) {
            restore(previousValues);
            releaseSystemProperties();
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

    /** Puts back the system properties as they were before {@link #start} and lets the next harness start. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        restore(previousValues);
        releaseSystemProperties();
    }

    /** The Lambda context of one invocation; its logger writes to the console as it is now. */
    private LambdaContext context() {
        return new LambdaContext(UUID.randomUUID().toString(), FUNCTION_NAME, "$LATEST", "/aws/lambda/" + FUNCTION_NAME,
                LOG_STREAM, LambdaContext.functionArn(REGION, FUNCTION_NAME),
                MEMORY_MB, System.currentTimeMillis() + INVOCATION_TIMEOUT.toMillis(), LambdaContext.printingTo(System.out));
    }

    private static void acquireSystemProperties() {
        if (openedBy == Thread.currentThread()) {
            throw new IllegalStateException("This thread has a LambdaFunctionHarness open: close it before starting another"
                    + " (the two would share the JVM's system properties).");
        }
        try {
            if (!SYSTEM_PROPERTIES.tryAcquire(WAIT_FOR_OTHER_HARNESS.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Another LambdaFunctionHarness has been open for more than "
                        + WAIT_FOR_OTHER_HARNESS.toMinutes() + " min: is it never closed?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for another LambdaFunctionHarness to close", e);
        }
        openedBy = Thread.currentThread();
    }

    private static void releaseSystemProperties() {
        openedBy = null;
        SYSTEM_PROPERTIES.release();
    }

    private static void restore(Map<String, String> previousValues) {
        previousValues.forEach((name, previous) -> {
            if (previous == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, previous);
            }
        });
    }
}
