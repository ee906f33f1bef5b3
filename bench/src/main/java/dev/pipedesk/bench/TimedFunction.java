package dev.pipedesk.bench;

import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.LambdaFunction;
import java.util.Arrays;

/**
 * A {@link LambdaFunction} that records how long each invocation takes (the poller's view: HTTP
 * hop to the child JVM, the handler, the answer), so a pipeline run can tell the function's
 * share of the time from the queue's.
 */
final class TimedFunction implements LambdaFunction {
    private final LambdaFunction delegate;
    private long[] samples = new long[1024];
    private int count;

    TimedFunction(LambdaFunction delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String invoke(String eventJson) throws FunctionInvocationException {
        long start = System.nanoTime();
        try {
            return delegate.invoke(eventJson);
        } finally {
            record(System.nanoTime() - start);
        }
    }

    private synchronized void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    /** The invocation times recorded since the last call, and forgets them. */
    synchronized long[] drain() {
        long[] recorded = Arrays.copyOf(samples, count);
        count = 0;
        return recorded;
    }

    @Override
    public boolean isUp() {
        return delegate.isUp();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
