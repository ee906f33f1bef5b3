package dev.pipedesk.local.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parent side of one function: a child JVM running {@link LambdaHost} with the function's
 * own classpath and environment, so each function's Spring context is isolated and its cold
 * start is real.
 *
 * <p>Invocations are serialised, like a single Lambda execution environment. An invocation that
 * exceeds the function timeout, or an instance that dies, ends that environment; the next
 * invocation starts a fresh one (a new cold start), as Lambda does. Output lines of the child go
 * to a {@link LogSink}. {@link #close()} stops the child and everything it started.
 */
public final class FunctionProcess implements LambdaFunction {
    /** {@code LambdaContext}'s name: the class itself must not be loaded here (see {@link #locationOf}). */
    private static final String LAMBDA_CONTEXT_CLASS = "dev.pipedesk.localaws.LambdaContext";
    private static final int FAILURE_TAIL_LINES = 25;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(5);
    private static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR");

    private final FunctionSpec spec;
    private final LogSink log;
    private final HttpClient http;
    private final ReentrantLock invocationLock = new ReentrantLock(true);
    private volatile Instance instance;
    private volatile boolean closed;
    private volatile String startFailure;

    private FunctionProcess(FunctionSpec spec, LogSink log) {
        this.spec = spec;
        this.log = log;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Starts the function's first execution environment and waits until its handler is
     * constructed (or {@link FunctionSpec#startTimeout()} passes).
     *
     * @throws FunctionInvocationException.Unavailable when it cannot start; the message carries the child's last output lines
     */
    public static FunctionProcess start(FunctionSpec spec, LogSink log) throws FunctionInvocationException.Unavailable {
        FunctionProcess function = new FunctionProcess(spec, log);
        function.invocationLock.lock();
        try {
            function.instance = function.startInstance();
        } catch (FunctionInvocationException.Unavailable e) {
            function.close();
            throw e;
        } finally {
            function.invocationLock.unlock();
        }
        return function;
    }

    @Override
    public String name() {
        return spec.name();
    }

    public FunctionSpec spec() {
        return spec;
    }

    @Override
    public boolean isUp() {
        return !closed && startFailure == null;
    }

    /** {@code ready}, {@code idle (next invocation starts a new instance)}, {@code failed: …} or {@code stopped}. */
    public String status() {
        if (closed) {
            return "stopped";
        }
        if (startFailure != null) {
            return "failed: " + startFailure;
        }
        Instance current = instance;
        return current != null && current.process.isAlive() ? "ready" : "idle (next invocation starts a new instance)";
    }

    /** The child's process id, while an instance runs. */
    public long pid() {
        Instance current = instance;
        return current == null ? -1 : current.process.pid();
    }

    @Override
    public String invoke(String eventJson) throws FunctionInvocationException {
        try {
            invocationLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionInvocationException.Unavailable(name(), "interrupted while waiting for " + name(), e);
        }
        try {
            if (closed) {
                throw new FunctionInvocationException.Unavailable(name(), "function " + name() + " is stopped", null);
            }
            Instance current = instance;
            if (current == null || !current.process.isAlive()) {
                current = startInstance();
                instance = current;
            }
            return send(current, eventJson);
        } finally {
            invocationLock.unlock();
        }
    }

    private String send(Instance current, String eventJson) throws FunctionInvocationException {
        String requestId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + spec.timeout().toMillis();
        HttpRequest request = HttpRequest.newBuilder(current.invokeUri)
                .timeout(spec.timeout())
                .header("Content-Type", "application/json")
                .header(LambdaHostProtocol.REQUEST_ID_HEADER, requestId)
                .header(LambdaHostProtocol.DEADLINE_HEADER, Long.toString(deadline))
                .POST(HttpRequest.BodyPublishers.ofString(eventJson, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            log.line("Task timed out after " + spec.timeout().toMillis() + " ms (RequestId " + requestId
                    + "); stopping this instance");
            instance = null;
            kill(current, true);
            throw new FunctionInvocationException.Timeout(name(),
                    "function " + name() + " timed out after " + spec.timeout().toMillis() + " ms");
        } catch (IOException e) {
            boolean died = waitForExit(current.process, Duration.ofSeconds(2));
            instance = null;
            kill(current, true);
            String reason = died ? "its instance exited with code " + current.process.exitValue() : "it could not be reached: " + e.getMessage();
            throw new FunctionInvocationException.Unavailable(name(), "function " + name() + " failed: " + reason, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionInvocationException.Unavailable(name(), "interrupted while invoking " + name(), e);
        }
        if (response.statusCode() != 200) {
            throw new FunctionInvocationException.Unavailable(name(),
                    "function host for " + name() + " answered HTTP " + response.statusCode(), null);
        }
        if (response.headers().firstValue(LambdaHostProtocol.FUNCTION_ERROR_HEADER).isPresent()) {
            throw new FunctionInvocationException.Unhandled(name(), response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        invocationLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Instance current = instance;
            instance = null;
            if (current != null) {
                kill(current, false);
            }
        } finally {
            invocationLock.unlock();
            log.close();
        }
    }

    // --- instances -------------------------------------------------------------------------

    private record Instance(Process process, URI invokeUri, List<Thread> pumps) {
    }

    private Instance startInstance() throws FunctionInvocationException.Unavailable {
        Process process;
        try {
            process = processBuilder().start();
        } catch (IOException e) {
            startFailure = "could not start a JVM: " + e.getMessage();
            throw new FunctionInvocationException.Unavailable(name(), "function " + name() + " " + startFailure, e);
        }
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread stdout = pump(process.getInputStream(), "stdout", line -> {
            int port = LambdaHostProtocol.readyPort(line);
            if (port > 0 && !ready.isDone()) {
                log.line("instance ready (pid " + process.pid() + ", init "
                        + line.substring(line.indexOf("initMs=") + "initMs=".length()) + " ms)");
                ready.complete(port);
            } else if (line.startsWith(LambdaHostProtocol.FAILED_PREFIX)) {
                ready.completeExceptionally(new IllegalStateException(line.substring(LambdaHostProtocol.FAILED_PREFIX.length())));
            } else {
                remember(tail, line);
                log.line(line);
            }
        });
        Thread stderr = pump(process.getErrorStream(), "stderr", line -> {
            remember(tail, line);
            log.line(line);
        });
        Instance started = new Instance(process, null, List.of(stdout, stderr));
        process.onExit().thenRun(() -> ready.completeExceptionally(
                new IllegalStateException("its JVM exited with code " + process.exitValue() + " during start")));
        try {
            int port = ready.get(spec.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            startFailure = null;
            process.onExit().thenRun(() -> {
                if (!closed && process.exitValue() != 0 && instance != null && instance.process == process) {
                    log.line("instance exited with code " + process.exitValue() + "; the next invocation starts a new one");
                }
            });
            return new Instance(process, URI.create("http://127.0.0.1:" + port + LambdaHostProtocol.INVOKE_PATH), started.pumps);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            kill(started, true);
            String reason = e instanceof TimeoutException
                    ? "did not start within " + spec.startTimeout().toSeconds() + " s"
                    : e instanceof ExecutionException ee ? ee.getCause().getMessage() : "start interrupted";
            startFailure = reason;
            String output;
            synchronized (tail) {
                output = String.join(System.lineSeparator() + "    ", tail);
            }
            throw new FunctionInvocationException.Unavailable(name(), "function " + name() + " could not start: " + reason
                    + (output.isEmpty() ? "" : System.lineSeparator() + "  last output:" + System.lineSeparator() + "    " + output), null);
        }
    }

    private ProcessBuilder processBuilder() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The flags the Lambda Java runtime uses for a fast start, and a heap sized from the memory setting.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-Xmx" + (spec.memoryMb() * 85 / 100) + "m");
        command.add("-Dfile.encoding=UTF-8");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-cp");
        command.add(classpath());
        command.add(LambdaHost.class.getName());
        command.add(spec.handlerClass());

        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = new HashMap<>();
        for (String name : INHERITED_ENV) {
            String value = env.get(name);
            if (value != null) {
                inherited.put(name, value);
            }
        }
        String region = env.getOrDefault(LambdaHost.Variable.AWS_REGION.name(), "us-east-1");
        env.clear();
        env.putAll(inherited);
        env.put("TZ", "UTC");
        env.put(LambdaHost.Variable.AWS_REGION.name(), region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put(LambdaHost.Variable.AWS_LAMBDA_FUNCTION_NAME.name(), spec.name());
        env.put(LambdaHost.Variable.AWS_LAMBDA_FUNCTION_VERSION.name(), "$LATEST");
        env.put(LambdaHost.Variable.AWS_LAMBDA_FUNCTION_MEMORY_SIZE.name(), Integer.toString(spec.memoryMb()));
        env.put(LambdaHost.Variable.AWS_LAMBDA_LOG_GROUP_NAME.name(), "/aws/lambda/" + spec.name());
        env.put(LambdaHost.Variable.AWS_LAMBDA_LOG_STREAM_NAME.name(), "local");
        env.put("_HANDLER", spec.handlerClass() + "::handleRequest");
        env.putAll(spec.environment());
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return builder;
    }

    /**
     * The function's own entries first, then the folders or jars holding {@link LambdaHost} and the
     * {@code LambdaContext} it hands each invocation.
     */
    private String classpath() {
        List<String> entries = new ArrayList<>(spec.classpath());
        for (String hostClass : List.of(LambdaHost.class.getName(), LAMBDA_CONTEXT_CLASS)) {
            String location = locationOf(hostClass);
            if (!entries.contains(location)) {
                entries.add(location);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * The folder or jar a class comes from, found without loading it: {@code LambdaContext} needs
     * {@code aws-lambda-java-core}, which only the child's classpath has.
     */
    private static String locationOf(String className) {
        String resource = className.replace('.', '/') + ".class";
        URL url = FunctionProcess.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("cannot locate the classes of " + className);
        }
        try {
            if (url.getProtocol().equals("jar")) {
                String jar = url.getPath().substring(0, url.getPath().indexOf("!/"));
                return Path.of(URI.create(jar)).toString();
            }
            String file = Path.of(url.toURI()).toString();
            return file.substring(0, file.length() - resource.length() - 1);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot locate the classes of " + className + " (" + url + ")", e);
        }
    }

    private Thread pump(InputStream stream, String kind, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, name() + "-" + kind);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void remember(Deque<String> tail, String line) {
        synchronized (tail) {
            tail.addLast(line);
            while (tail.size() > FAILURE_TAIL_LINES) {
                tail.removeFirst();
            }
        }
    }

    /** Stops the instance and anything it started; {@code immediately} skips the graceful SIGTERM. */
    private void kill(Instance target, boolean immediately) {
        Process process = target.process;
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            if (immediately) {
                process.destroyForcibly();
            } else {
                process.destroy();
                if (!waitForExit(process, GRACEFUL_STOP)) {
                    process.destroyForcibly();
                }
            }
            waitForExit(process, GRACEFUL_STOP);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Thread pump : target.pumps) {
            try {
                pump.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean waitForExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
