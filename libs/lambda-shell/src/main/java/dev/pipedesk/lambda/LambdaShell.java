package dev.pipedesk.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipedesk.core.metrics.EmfMetrics;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.messaging.Message;

/**
 * What every shell does around its own {@link #apply(InputStream)}: Spring Cloud Function's
 * {@code FunctionInvoker} hands each invocation over as a {@link Message} whose payload is the raw
 * event stream (the shells read it themselves: {@code docs/architecture.md}, "Lambda shells") and
 * whose {@value #AWS_CONTEXT} header is the Lambda {@link Context}. For the length of the
 * invocation the log fields are set ({@link LambdaInvocation}: request id, function, cold start);
 * at its end the operator metrics the invocation recorded are written as one embedded-metric-format
 * document ({@link EmfMetrics#publish}), also when it failed.
 *
 * @param <R> what the function answers
 */
public abstract class LambdaShell<R> implements Function<Message<InputStream>, R> {
    /** The header under which Spring Cloud Function's AWS adapter passes the Lambda context. */
    public static final String AWS_CONTEXT = "aws-context";

    private final EmfMetrics metrics;

    /** @param metrics what the function's services record during an invocation, or null for none */
    protected LambdaShell(EmfMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public final R apply(Message<InputStream> invocation) {
        Object context = invocation.getHeaders().get(AWS_CONTEXT);
        try (LambdaInvocation scope = LambdaInvocation.open(context instanceof Context lambda ? lambda : null)) {
            try {
                return apply(invocation.getPayload());
            } finally {
                publishMetrics(scope);
            }
        }
    }

    /** The answer to one raw event. */
    public abstract R apply(InputStream rawEvent);

    private void publishMetrics(LambdaInvocation scope) {
        if (metrics != null) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put(LambdaInvocation.FUNCTION, scope.function());
            properties.put(LambdaInvocation.REQUEST_ID, scope.requestId());
            metrics.publish(properties);
        }
    }
}
