package dev.pipedesk.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A tiny Lambda handler for the local stack's own tests (JDK + aws-lambda-java-core only, like a
 * real handler's view of the world). It answers an API Gateway payload-2.0 response whose body
 * describes what it received; events containing {@code "action":"…"} make it misbehave:
 * {@code sleep} (past any short timeout), {@code throw}, {@code exit} (the JVM dies), {@code raw}
 * (a plain JSON object instead of a structured response), {@code hold} (connects to the test's
 * 127.0.0.1 port given as {@code "holdPort":N} and answers only once the test closes that
 * connection: a latch across JVMs), {@code big} (a body of about 50 KB).
 */
public class EchoHandler implements RequestStreamHandler {
    private final long constructedAt = System.nanoTime();
    private int invocations;

    /** The value of the first {@code "action":"..."} in the event (its body included), or empty. */
    private static String action(String event) {
        int at = event.indexOf("\"action\":\"");
        if (at < 0) {
            return "";
        }
        int start = at + "\"action\":\"".length();
        return event.substring(start, event.indexOf('"', start));
    }

    /** The number after {@code "name":} in the event, or -1. */
    private static int number(String event, String name) {
        java.util.regex.Matcher found = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(event);
        return found.find() ? Integer.parseInt(found.group(1)) : -1;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String action = action(event.replace("\\", ""));
        invocations++;
        context.getLogger().log("echo handling " + context.getAwsRequestId());
        if (action.equals("sleep")) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (action.equals("hold")) {
            try (java.net.Socket latch = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                    number(event.replace("\\", ""), "holdPort"))) {
                latch.getInputStream().read(); // returns when the test closes the connection
            }
        } else if (action.equals("throw")) {
            throw new IllegalStateException("echo was asked to fail");
        } else if (action.equals("exit")) {
            Runtime.getRuntime().halt(3);
        } else if (action.equals("raw")) {
            output.write("{\"plain\":true}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String description = "{\"event\":" + event
                + ",\"requestId\":" + LambdaHost.quote(context.getAwsRequestId())
                + ",\"functionName\":" + LambdaHost.quote(context.getFunctionName())
                + ",\"remainingMillis\":" + context.getRemainingTimeInMillis()
                + ",\"memoryMb\":" + context.getMemoryLimitInMB()
                + ",\"invocations\":" + invocations
                + ",\"instance\":" + constructedAt
                + ",\"pid\":" + ProcessHandle.current().pid()
                + ",\"greeting\":" + LambdaHost.quote(String.valueOf(System.getenv("GREETING")))
                + ",\"mainClass\":" + LambdaHost.quote(String.valueOf(System.getenv("MAIN_CLASS")))
                + (action.equals("big") ? ",\"padding\":" + LambdaHost.quote("x".repeat(50_000)) : "")
                + "}";
        String response = "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\",\"x-echo\":\"yes\"},"
                + "\"multiValueHeaders\":{\"x-multi\":[\"a\",\"b\"]},\"cookies\":[\"session=abc; Path=/\"],"
                + "\"body\":" + LambdaHost.quote(description) + ",\"isBase64Encoded\":false}";
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }
}
