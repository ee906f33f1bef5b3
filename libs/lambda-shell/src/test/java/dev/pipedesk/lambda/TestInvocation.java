package dev.pipedesk.lambda;

import dev.pipedesk.localaws.LambdaContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** A test invocation as Spring Cloud Function's AWS adapter hands it to a shell, with a local {@link LambdaContext}. */
public final class TestInvocation {
    private static final String REGION = "us-east-1";
    private static final int MEMORY_MB = 512;
    private static final long TIMEOUT_MILLIS = 30_000;

    private TestInvocation() {
    }

    /** The event of one invocation of {@code functionName} with the request id {@code requestId}. */
    public static Message<InputStream> of(String requestId, String functionName, String eventJson) {
        LambdaContext context = new LambdaContext(requestId, functionName, "$LATEST", "/aws/lambda/" + functionName, "test",
                LambdaContext.functionArn(REGION, functionName), MEMORY_MB, System.currentTimeMillis() + TIMEOUT_MILLIS,
                LambdaContext.printingTo(System.out));
        return MessageBuilder.<InputStream>withPayload(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)))
                .setHeader(LambdaShell.AWS_CONTEXT, context).build();
    }
}
