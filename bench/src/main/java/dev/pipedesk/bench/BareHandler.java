package dev.pipedesk.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.lambda.LambdaShell;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The cold-start benchmark's baseline ({@link ColdStartBenchmark}): a plain {@link RequestStreamHandler}
 * (aws-lambda-java-core only, no Spring, no {@code FunctionInvoker}) around the same shell object a
 * function's Spring application builds, built with constructors from the same environment variables.
 * Its answer is the shell's output rendered as JSON: an AWS event class (an API Gateway response, an
 * SQS batch response) with the Lambda runtime's own serializer, anything else (PipeDesk's records)
 * with PipeDesk's mapper. Not deployed: the subclasses live in {@code bench/}, one per function, each
 * in its function's package (they use its package-private wiring, as its application class does).
 */
public abstract class BareHandler implements RequestStreamHandler {
    private final LambdaShell<?> shell;

    protected BareHandler(LambdaShell<?> shell) {
        this.shell = Objects.requireNonNull(shell, "shell");
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        render(shell.apply(input), output);
    }

    @SuppressWarnings("unchecked")
    static void render(Object value, OutputStream output) throws IOException {
        if (value.getClass().getName().startsWith("com.amazonaws.services.lambda.runtime.events.")) {
            LambdaEventJson.serializerFor((Class<Object>) value.getClass()).toJson(value, output);
        } else {
            output.write(Json.MAPPER.writeValueAsBytes(value));
        }
    }
}
