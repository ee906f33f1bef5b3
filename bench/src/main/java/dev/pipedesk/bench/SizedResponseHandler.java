package dev.pipedesk.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The function behind {@link GatewayOverheadBenchmark}: answers at once with a small JSON body, or
 * with one of about {@value #LARGE_BODY_BYTES} bytes when the path ends in {@code /large} (a list
 * of 50 meetings is about that size), and names its Lambda request id in {@code x-lambda-request-id}
 * so the harness can find the invocation's {@code REPORT} line. Runs in the local function host.
 */
public class SizedResponseHandler implements RequestStreamHandler {
    static final int LARGE_BODY_BYTES = 50_000;
    static final String REQUEST_ID_HEADER = "x-lambda-request-id";
    private static final String LARGE = "{\"padding\":\"" + "x".repeat(LARGE_BODY_BYTES - 14) + "\"}";

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String body = event.contains("\"rawPath\":\"/bench/large\"") ? LARGE : "{\"ok\":true}";
        String response = "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\",\"" + REQUEST_ID_HEADER
                + "\":\"" + context.getAwsRequestId() + "\"},\"body\":\"" + body.replace("\"", "\\\"") + "\"}";
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }
}
