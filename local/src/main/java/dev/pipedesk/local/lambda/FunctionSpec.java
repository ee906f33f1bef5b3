package dev.pipedesk.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run one function locally, as Lambda would: its classpath (the deployable
 * {@code lib/} folder), handler class, environment variables, timeout and memory size.
 *
 * @param name         the function name, e.g. {@code calendar} (also the log prefix)
 * @param classpath    entries for the child JVM; a directory ending in {@code /*} means every jar in it
 * @param handlerClass a {@code RequestStreamHandler} with a no-argument constructor
 * @param environment  the function's configuration (Lambda environment variables)
 * @param timeout      the function timeout: an invocation running longer is stopped (504)
 * @param memoryMb     the memory size (what the function sees as its limit); the child's heap is sized from it,
 *                     capped at {@link #MAX_LOCAL_HEAP_MB}
 * @param startTimeout how long a cold start may take before the instance counts as failed
 */
public record FunctionSpec(String name, List<String> classpath, String handlerClass, Map<String, String> environment,
                           Duration timeout, int memoryMb, Duration startTimeout) {

    /** Names the Spring application class for Spring Cloud Function's {@code FunctionInvoker}. */
    public static final String MAIN_CLASS_VARIABLE = "MAIN_CLASS";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(29);
    public static final int DEFAULT_MEMORY_MB = 1024;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    /**
     * The largest heap a local instance gets, whatever its memory size: our functions use little
     * more than 100 MB of heap, and with the stack's cap on instances (8 by default) the child JVMs
     * then stay within about 4 GB on a developer machine.
     */
    public static final int MAX_LOCAL_HEAP_MB = 384;

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        classpath = List.copyOf(classpath);
        Objects.requireNonNull(handlerClass, "handlerClass");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (memoryMb < 128) {
            throw new IllegalArgumentException("memoryMb must be at least 128");
        }
    }

    /**
     * A function built in the Lambda zip layout: {@code lambdaDir/lib/*.jar}, Spring Cloud
     * Function's {@code FunctionInvoker} as handler and {@code MAIN_CLASS} naming its app.
     */
    public static FunctionSpec springFunction(String name, Path lambdaLibDir, String mainClass, Map<String, String> environment) {
        Map<String, String> env = new java.util.LinkedHashMap<>(environment);
        env.put(MAIN_CLASS_VARIABLE, mainClass);
        return new FunctionSpec(name, List.of(lambdaLibDir.toAbsolutePath() + "/*"), LambdaHostProtocol.DEFAULT_HANDLER,
                env, DEFAULT_TIMEOUT, DEFAULT_MEMORY_MB, DEFAULT_START_TIMEOUT);
    }

    /** The child JVM's {@code -Xmx}: 85% of the memory size, as the Lambda runtime leaves room off-heap, at most {@link #MAX_LOCAL_HEAP_MB}. */
    public int localHeapMb() {
        return Math.min(memoryMb * 85 / 100, MAX_LOCAL_HEAP_MB);
    }

    public FunctionSpec withTimeout(Duration value) {
        return new FunctionSpec(name, classpath, handlerClass, environment, value, memoryMb, startTimeout);
    }

    public FunctionSpec withStartTimeout(Duration value) {
        return new FunctionSpec(name, classpath, handlerClass, environment, timeout, memoryMb, value);
    }

    public FunctionSpec withEnvironment(Map<String, String> value) {
        return new FunctionSpec(name, classpath, handlerClass, value, timeout, memoryMb, startTimeout);
    }
}
