package dev.pipedesk.audit.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Runs a function as Lambda does: {@link FunctionInvoker#handleRequest} with the raw event JSON
 * and a Lambda context, returning the JSON it writes. Configuration is handed over as system
 * properties (the function's Spring environment sees them like environment variables); the
 * main class goes in {@code MAIN_CLASS}, as the jar manifest's {@code Start-Class} would.
 */
public final class LambdaFunctionHarness implements AutoCloseable {
    private final FunctionInvoker invoker;
    private final Map<String, String> properties;

    private LambdaFunctionHarness(FunctionInvoker invoker, Map<String, String> properties) {
        this.invoker = invoker;
        this.properties = properties;
    }

    public static LambdaFunctionHarness start(Class<?> mainClass, Map<String, String> configuration) {
        Map<String, String> properties = new HashMap<>(configuration);
        properties.put("MAIN_CLASS", mainClass.getName());
        properties.forEach(System::setProperty);
        return new LambdaFunctionHarness(new FunctionInvoker(), properties);
    }

    /** One invocation; returns what the function wrote to the output stream. */
    public String invoke(String eventJson) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            invoker.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), output,
                    new TestContext(UUID.randomUUID().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        properties.keySet().forEach(System::clearProperty);
    }

    /** The Lambda context of one invocation (logger to stdout). */
    private record TestContext(String awsRequestId) implements Context {
        @Override
        public String getAwsRequestId() {
            return awsRequestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/pipedesk-test";
        }

        @Override
        public String getLogStreamName() {
            return "2026/01/01/[$LATEST]0123456789abcdef";
        }

        @Override
        public String getFunctionName() {
            return "pipedesk-test";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:pipedesk-test";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
