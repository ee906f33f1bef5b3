package dev.pipedesk.local.lambda;

/** A function the local gateway (or poller, or scheduler) can invoke with an event. */
public interface LambdaFunction extends AutoCloseable {

    String name();

    /** Invokes the function synchronously (RequestResponse) and returns its output. */
    String invoke(String eventJson) throws FunctionInvocationException;

    /** Whether the function can take an invocation now. */
    boolean isUp();

    @Override
    void close();
}
