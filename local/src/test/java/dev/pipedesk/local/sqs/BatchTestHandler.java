package dev.pipedesk.local.sqs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SQS-triggered test function (JDK + aws-lambda-java-core only). It appends every event it
 * receives, one line each, to the file named by {@code EVENT_LOG}, then answers a partial batch
 * response by the message bodies: {@code fail…} → reported in {@code batchItemFailures};
 * {@code crash…} → the handler throws (the whole batch fails); {@code bogus…} → a failure entry
 * naming a message that is not in the batch (an invalid response); anything else succeeds.
 */
public class BatchTestHandler implements RequestStreamHandler {
    private static final Pattern RECORD = Pattern.compile(
            "\"messageId\":\"([^\"]+)\",\"receiptHandle\":\"[^\"]*\",\"body\":\"([^\"]*)\"");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(Path.of(System.getenv("EVENT_LOG")), event.replace('\n', ' ') + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> failures = new ArrayList<>();
        Matcher record = RECORD.matcher(event);
        while (record.find()) {
            String body = record.group(2);
            if (body.startsWith("crash")) {
                throw new IllegalStateException("asked to crash");
            } else if (body.startsWith("fail")) {
                failures.add("{\"itemIdentifier\":\"" + record.group(1) + "\"}");
            } else if (body.startsWith("bogus")) {
                failures.add("{\"itemIdentifier\":\"not-a-message-of-this-batch\"}");
            }
        }
        output.write(("{\"batchItemFailures\":[" + String.join(",", failures) + "]}").getBytes(StandardCharsets.UTF_8));
    }
}
