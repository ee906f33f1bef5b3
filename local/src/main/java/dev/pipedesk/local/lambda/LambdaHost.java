package dev.pipedesk.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipedesk.localaws.LambdaContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * One Lambda execution environment in a JVM of its own: run with the function's Lambda
 * classpath ({@code lib/*}) plus this class, and the function's environment.
 *
 * <p>Like the Lambda Java runtime it constructs the handler once (the real cold start, e.g. a
 * Spring context), then invokes it with one event at a time, each with a fresh
 * {@link LambdaContext}. It prints Lambda's {@code START}/{@code END}/{@code REPORT} lines, so cold and
 * warm durations show up in the log. See {@link LambdaHostProtocol} for the wire contract.
 *
 * <p>Only JDK and {@code aws-lambda-java-core} types, and {@link LambdaContext}, may be used here:
 * nothing else of the local stack's classpath is present in the child (see
 * {@code FunctionProcess#classpath}).
 *
 * <p>Usage: {@code java -cp <function lib>/*:<local classes> dev.pipedesk.local.lambda.LambdaHost [handler class]}
 */
public final class LambdaHost {
    /** The Lambda runtime's variables it reads (the stack sets them for each child, as Lambda does). */
    public enum Variable {
        AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_LAMBDA_LOG_GROUP_NAME,
        AWS_LAMBDA_LOG_STREAM_NAME, AWS_REGION
    }

    /** The host runs in the function's JVM, beside the function's jars only: no PipeDesk library here. */
    public static final List<String> VARIABLES = Arrays.stream(Variable.values()).map(Enum::name).toList();

    private final RequestStreamHandler handler;
    private final String functionName;
    private final String functionVersion;
    private final int memoryMb;
    private final long initMillis;
    private final PrintStream log;
    private boolean firstInvocation = true;

    private LambdaHost(RequestStreamHandler handler, long initMillis, PrintStream log) {
        this.handler = handler;
        this.initMillis = initMillis;
        this.log = log;
        this.functionName = env(Variable.AWS_LAMBDA_FUNCTION_NAME, "function");
        this.functionVersion = env(Variable.AWS_LAMBDA_FUNCTION_VERSION, "$LATEST");
        this.memoryMb = Integer.parseInt(env(Variable.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "1024"));
    }

    public static void main(String[] args) {
        String handlerClass = args.length > 0 ? args[0] : LambdaHostProtocol.DEFAULT_HANDLER;
        PrintStream out = System.out;
        ignoreInterrupts();
        exitWhenParentGoes();
        long started = System.nanoTime();
        RequestStreamHandler handler;
        try {
            handler = construct(handlerClass);
        } catch (Throwable e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            cause.printStackTrace();
            out.println(LambdaHostProtocol.FAILED_PREFIX + "could not initialise " + handlerClass + ": "
                    + oneLine(cause));
            out.flush();
            System.exit(1);
            return;
        }
        long initMillis = (System.nanoTime() - started) / 1_000_000;
        try {
            LambdaHost host = new LambdaHost(handler, initMillis, out);
            int port = host.serve();
            out.println(LambdaHostProtocol.READY_PREFIX + "port=" + port + " initMs=" + initMillis);
            out.flush();
        } catch (IOException e) {
            out.println(LambdaHostProtocol.FAILED_PREFIX + "could not listen: " + oneLine(e));
            System.exit(1);
        }
    }

    private static RequestStreamHandler construct(String handlerClass) throws ReflectiveOperationException {
        Class<?> type = Class.forName(handlerClass, true, LambdaHost.class.getClassLoader());
        if (!RequestStreamHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(handlerClass + " is not a " + RequestStreamHandler.class.getName());
        }
        return (RequestStreamHandler) type.getDeclaredConstructor().newInstance();
    }

    private int serve() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        // One thread: one invocation at a time, like a Lambda execution environment.
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "lambda-invoke");
            thread.setDaemon(false);
            return thread;
        }));
        server.createContext(LambdaHostProtocol.INVOKE_PATH, this::handleInvoke);
        server.start();
        return server.getAddress().getPort();
    }

    private void handleInvoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] event = exchange.getRequestBody().readAllBytes();
            String requestId = header(exchange, LambdaHostProtocol.REQUEST_ID_HEADER, UUID.randomUUID().toString());
            long deadline = Long.parseLong(header(exchange, LambdaHostProtocol.DEADLINE_HEADER,
                    Long.toString(System.currentTimeMillis() + 30_000)));
            Invocation result = invoke(event, requestId, deadline);
            if (result.error() != null) {
                exchange.getResponseHeaders().add(LambdaHostProtocol.FUNCTION_ERROR_HEADER, "Unhandled");
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] body = result.output();
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private record Invocation(byte[] output, Throwable error) {
    }

    private Invocation invoke(byte[] event, String requestId, long deadlineMillis) {
        log.println("START RequestId: " + requestId + " Version: " + functionVersion);
        long started = System.nanoTime();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Invocation result;
        try {
            handler.handleRequest(new java.io.ByteArrayInputStream(event), output, context(requestId, deadlineMillis));
            result = new Invocation(output.toByteArray(), null);
        } catch (Throwable e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.print(trace);
            result = new Invocation(errorDocument(e), e);
        }
        double millis = (System.nanoTime() - started) / 1_000_000.0;
        Runtime runtime = Runtime.getRuntime();
        long usedMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        log.println("END RequestId: " + requestId);
        log.println(String.format(Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tMemory Size: %d MB\tHeap Used: %d MB%s",
                requestId, millis, memoryMb, usedMb,
                firstInvocation ? String.format(Locale.ROOT, "\tInit Duration: %d ms", initMillis) : ""));
        log.flush();
        firstInvocation = false;
        return result;
    }

    /** The Lambda context of one invocation; its logger writes to this environment's log. */
    private LambdaContext context(String requestId, long deadlineMillis) {
        return new LambdaContext(requestId, functionName, functionVersion,
                env(Variable.AWS_LAMBDA_LOG_GROUP_NAME, "/aws/lambda/" + functionName), env(Variable.AWS_LAMBDA_LOG_STREAM_NAME, "local"),
                LambdaContext.functionArn(env(Variable.AWS_REGION, "us-east-1"), functionName), memoryMb, deadlineMillis,
                LambdaContext.printingTo(log));
    }

    /** The document the Lambda invoke API returns for an unhandled exception. */
    static byte[] errorDocument(Throwable e) {
        StringBuilder json = new StringBuilder("{\"errorMessage\":").append(quote(String.valueOf(e.getMessage())))
                .append(",\"errorType\":").append(quote(e.getClass().getName()))
                .append(",\"stackTrace\":[");
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 50); i++) {
            json.append(i == 0 ? "" : ",").append(quote(frames[i].toString()));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String header(HttpExchange exchange, String name, String fallback) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String env(Variable variable, String fallback) {
        String value = System.getenv(variable.name());
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String oneLine(Throwable e) {
        return (e.getClass().getName() + ": " + e.getMessage()).replace('\n', ' ');
    }

    /**
     * Ctrl-C in a terminal reaches the whole process group. The parent stops its children in
     * order, so the child leaves SIGINT to it (SIGTERM from the parent still stops it).
     */
    @SuppressWarnings("restriction")
    private static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> { });
        } catch (Throwable ignored) {
            // Not available on this platform: Ctrl-C then stops the child directly, which is harmless.
        }
    }

    /** The parent holds our stdin open; end-of-file means it is gone, so this environment goes too. */
    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // ignore anything written to us
                }
            } catch (IOException ignored) {
                // treated as end-of-file
            }
            System.exit(0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
